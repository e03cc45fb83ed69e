<#
.SYNOPSIS
    Pins bmx-console as a lobby kiosk on Windows 10/11 Pro (no Shell Launcher there).

.DESCRIPTION
    Run as an administrator. It:
      1. creates the local standard user that the kiosk runs as (if it does not exist),
      2. signs that user in automatically at boot (Sysinternals Autologon when it is next
         to this script, which keeps the password as an LSA secret; otherwise it stops and
         says how, rather than writing a password into the registry in clear text),
      3. registers a scheduled task that starts bmx-kiosk-watchdog.ps1 at that user's
         log-on; the watchdog starts the kiosk and restarts it whenever it stops.
    Assigned Access (the built-in "kiosk mode") is not used: on Pro it runs only UWP apps
    and Microsoft Edge, not a Win32 program such as bmx-console.

.EXAMPLE
    .\Install-KioskPro.ps1 -User kiosk
#>
#Requires -RunAsAdministrator
param(
    [string] $User = 'kiosk',
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'bmx-console')
)

$ErrorActionPreference = 'Stop'
$exe = Join-Path $InstallDir 'bmx-console.exe'
$watchdog = Join-Path $InstallDir 'kiosk\bmx-kiosk-watchdog.ps1'
foreach ($path in $exe, $watchdog) {
    if (-not (Test-Path -LiteralPath $path)) { throw "Not found: $path. Install bmx-console first." }
}

# 1. The kiosk user: a standard (not administrator) account that only runs the kiosk.
if (-not (Get-LocalUser -Name $User -ErrorAction SilentlyContinue)) {
    $password = Read-Host -AsSecureString "Choose a password for the new local user '$User'"
    New-LocalUser -Name $User -Password $password -FullName 'Lobby kiosk' `
        -Description 'Runs the bmx-console lobby kiosk' -PasswordNeverExpires | Out-Null
    Add-LocalGroupMember -Group 'Users' -Member $User
    Write-Host "Created the local user '$User'."
}

# 2. Automatic sign-in.
$autologon = @('Autologon64.exe', 'Autologon.exe') |
    ForEach-Object { Join-Path $PSScriptRoot $_ } |
    Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
if ($autologon) {
    $secure = Read-Host -AsSecureString "Password of '$User' (for automatic sign-in)"
    $plain = [Runtime.InteropServices.Marshal]::PtrToStringAuto(
        [Runtime.InteropServices.Marshal]::SecureStringToBSTR($secure))
    & $autologon $User $env:COMPUTERNAME $plain /accepteula | Out-Null
    $plain = $null
    Write-Host "Automatic sign-in set for '$User' (password kept as an LSA secret)."
} else {
    Write-Warning ("Automatic sign-in was not set: put Sysinternals Autologon " +
        "(https://learn.microsoft.com/sysinternals/downloads/autologon) next to this script " +
        "and run it again, or run Autologon yourself for '$User'.")
}

# 3. Start (and keep restarting) the kiosk at the kiosk user's log-on.
$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument (
    "-NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass " +
    "-File `"$watchdog`" -Exe `"$exe`"")
$trigger = New-ScheduledTaskTrigger -AtLogOn -User "$env:COMPUTERNAME\$User"
$principal = New-ScheduledTaskPrincipal -UserId "$env:COMPUTERNAME\$User" -LogonType Interactive
# If the watchdog itself dies, Task Scheduler starts it again (every minute, without end).
$settings = New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries `
    -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 9999 `
    -RestartInterval (New-TimeSpan -Minutes 1) -MultipleInstances IgnoreNew
Register-ScheduledTask -TaskName 'bmx-console kiosk' -Action $action -Trigger $trigger `
    -Principal $principal -Settings $settings -Force | Out-Null
Write-Host "Scheduled task 'bmx-console kiosk' registered for '$User'."

Write-Host @"

Next, signed in as '$User':
  - configure bmx-console once (run it without --kiosk: Settings, or the first-run
    wizard), so the client secret is in '$User''s own Credential Manager;
  - set the staff PIN:  "$exe" kiosk-pin
  - list the kiosk's doors under [kiosk] in %APPDATA%\bmx-console\config.toml.
Then restart. Consider Group Policy for '$User' as well: hide Task Manager and the
Ctrl+Alt+Del options, and turn off the lock screen and sleep.
"@
