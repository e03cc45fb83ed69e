<#
.SYNOPSIS
    Makes bmx-console the kiosk user's shell with Shell Launcher (Windows 10/11 Enterprise,
    Education, IoT Enterprise).

.DESCRIPTION
    Run as an administrator. Instead of Explorer, Windows starts "bmx-console.exe --kiosk"
    when the kiosk user signs in, and Shell Launcher starts it again whenever it exits,
    except with exit code 0 (staff chose "Exit kiosk" with the PIN), which leaves the
    session as it is until staff sign out (Ctrl+Alt+Del). Other users keep Explorer.
    Shell Launcher also honours the user's Run keys: do not add a Run value for the kiosk
    as well (a second launch would only bring the running kiosk to the front).

    Devices managed by Intune/MDM can apply ShellLauncher-v2.xml (same behaviour) through
    the AssignedAccess CSP instead of this script.

.EXAMPLE
    .\Set-ShellLauncher.ps1 -User kiosk
#>
#Requires -RunAsAdministrator
param(
    [string] $User = 'kiosk',
    [string] $Exe = (Join-Path $env:ProgramFiles 'bmx-console\bmx-console.exe')
)

$ErrorActionPreference = 'Stop'
$RestartShell = 0
$DoNothing = 3

$feature = Get-WindowsOptionalFeature -Online -FeatureName 'Client-EmbeddedShellLauncher'
if ($feature.State -ne 'Enabled') {
    Enable-WindowsOptionalFeature -Online -FeatureName 'Client-EmbeddedShellLauncher' -All `
        -NoRestart | Out-Null
    Write-Warning 'Shell Launcher was just enabled: restart Windows, then run this script again.'
    exit 3010
}

$sid = (New-Object System.Security.Principal.NTAccount($User)).Translate(
    [System.Security.Principal.SecurityIdentifier]).Value
$shellLauncher = [wmiclass]'\\localhost\root\standardcimv2\embedded:WESL_UserSetting'
$shellLauncher.SetDefaultShell('explorer.exe', $RestartShell) | Out-Null
$shellLauncher.SetCustomShell($sid, "`"$Exe`" --kiosk", @(0), @($DoNothing), $RestartShell) |
    Out-Null
$shellLauncher.SetEnabled($true) | Out-Null

Write-Host "Shell Launcher: '$User' ($sid) now signs in to the bmx-console kiosk."
Write-Host 'Undo with: ([wmiclass]"\\localhost\root\standardcimv2\embedded:WESL_UserSetting").RemoveCustomShell("' + $sid + '")'
