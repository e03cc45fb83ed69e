<#
.SYNOPSIS
    Runs the bmx-console lobby kiosk and starts it again whenever it stops.

.DESCRIPTION
    For Windows Pro, where Shell Launcher is not available. Start it at the kiosk user's
    log-on (Install-KioskPro.ps1 registers a scheduled task; or point the Run key at it with
    bmx-kiosk-autostart.reg). Exit code 0 means staff left the kiosk with the PIN: the
    watchdog then stops too, so the desktop can be used for maintenance until the next
    log-on. Any other end (a crash, Task Manager) brings the kiosk back after 2 seconds.

.PARAMETER Exe
    The installed bmx-console.exe.
#>
param(
    [string] $Exe = (Join-Path $env:ProgramFiles 'bmx-console\bmx-console.exe')
)

$ErrorActionPreference = 'Stop'
$logFolder = Join-Path $env:LOCALAPPDATA 'bmx-console\Logs'
New-Item -ItemType Directory -Force -Path $logFolder | Out-Null
$log = Join-Path $logFolder 'kiosk-watchdog.log'

function Write-Log([string] $Message) {
    Add-Content -Path $log -Value ('{0:u} {1}' -f (Get-Date), $Message)
}

if (-not (Test-Path -LiteralPath $Exe)) {
    Write-Log "bmx-console.exe not found at $Exe; nothing to watch."
    exit 2
}

while ($true) {
    $started = Get-Date
    $kiosk = Start-Process -FilePath $Exe -ArgumentList '--kiosk' -PassThru -Wait
    $code = $kiosk.ExitCode
    if ($code -eq 0) {
        # 0 is also what a second launch answers when a kiosk already runs: then another
        # starter owns it, and two watchdogs would only fight.
        $other = Get-Process -Name 'bmx-console' -ErrorAction SilentlyContinue |
            Where-Object { $_.SessionId -eq (Get-Process -Id $PID).SessionId }
        if ($other) {
            Write-Log 'A kiosk started elsewhere is running; this watchdog stops.'
        } else {
            Write-Log 'Staff closed the kiosk with the PIN; not restarting until the next log-on.'
        }
        exit 0
    }
    Write-Log ("The kiosk stopped with exit code {0} after {1:N0} s; restarting in 2 s." -f `
        $code, ((Get-Date) - $started).TotalSeconds)
    Start-Sleep -Seconds 2
}
