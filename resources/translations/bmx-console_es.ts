<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="es">
<context>
    <name>AuditTab</name>
    <message>
        <source>Audit log</source>
        <translation>Registro de auditoría</translation>
    </message>
    <message>
        <source>The audit log's file on this computer</source>
        <translation>El archivo del registro de auditoría en este ordenador</translation>
    </message>
    <message>
        <source>Verify chain</source>
        <translation>Verificar la cadena</translation>
    </message>
    <message>
        <source>Verify the audit log's hash chain</source>
        <translation>Verificar la cadena de hashes del registro de auditoría</translation>
    </message>
    <message>
        <source>Check that no entry was changed, deleted or reordered since it was written</source>
        <translation>Comprobar que ninguna entrada se ha cambiado, borrado o reordenado desde que se escribió</translation>
    </message>
    <message>
        <source>Check against ButterflyMX</source>
        <translation>Cotejar con ButterflyMX</translation>
    </message>
    <message>
        <source>Compare the releases with ButterflyMX's access logs</source>
        <translation>Comparar las aperturas con los registros de acceso de ButterflyMX</translation>
    </message>
    <message>
        <source>Compare the last day's releases with ButterflyMX's access logs, both ways, and settle releases whose outcome is unknown</source>
        <translation>Comparar las aperturas del último día con los registros de acceso de ButterflyMX, en ambos sentidos, y resolver las aperturas de resultado desconocido</translation>
    </message>
    <message>
        <source>Audit log protection</source>
        <translation>Protección del registro de auditoría</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Export the audit log as CSV</source>
        <translation>Exportar el registro de auditoría como CSV</translation>
    </message>
    <message>
        <source>Keep a copy where this desk cannot change it: the best proof of the log</source>
        <translation>Guarde una copia donde este puesto no pueda cambiarla: es la mejor prueba del registro</translation>
    </message>
    <message>
        <source>Search operator, door, pass or detail</source>
        <translation>Buscar operador, puerta, pase o detalle</translation>
    </message>
    <message>
        <source>Search the audit log</source>
        <translation>Buscar en el registro de auditoría</translation>
    </message>
    <message>
        <source>Action filter</source>
        <translation>Filtro de acción</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Todas las acciones</translation>
    </message>
    <message>
        <source>Door releases</source>
        <translation>Aperturas de puertas</translation>
    </message>
    <message>
        <source>Passes issued</source>
        <translation>Pases emitidos</translation>
    </message>
    <message>
        <source>Passes revoked</source>
        <translation>Pases revocados</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>Turnos</translation>
    </message>
    <message>
        <source>Calls acknowledged</source>
        <translation>Llamadas atendidas</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>Cambios de configuración</translation>
    </message>
    <message>
        <source>Outcome filter</source>
        <translation>Filtro de resultado</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Todos los resultados</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>Abierta</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Falló</translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation>Resultado desconocido</translation>
    </message>
    <message>
        <source>Confirmed by ButterflyMX</source>
        <translation>Confirmada por ButterflyMX</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Creado</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Revocado</translation>
    </message>
    <message>
        <source>Date range</source>
        <translation>Intervalo de fechas</translation>
    </message>
    <message>
        <source>All dates</source>
        <translation>Todas las fechas</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Últimos 7 días</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Últimos 30 días</translation>
    </message>
    <message>
        <source>Between…</source>
        <translation>Entre…</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Desde la fecha</translation>
    </message>
    <message>
        <source>To date (included)</source>
        <translation>Hasta la fecha (incluida)</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>Number of entries shown</source>
        <translation>Número de entradas mostradas</translation>
    </message>
    <message>
        <source>Audit entries</source>
        <translation>Entradas de auditoría</translation>
    </message>
    <message>
        <source>newest {0:,} entries</source>
        <translation>las {0:,} entradas más recientes</translation>
    </message>
    <message>
        <source>1 entry</source>
        <translation>1 entrada</translation>
    </message>
    <message>
        <source>{0:,} entries</source>
        <translation>{0:,} entradas</translation>
    </message>
    <message>
        <source>Checking every entry of the audit log…</source>
        <translation>Comprobando cada entrada del registro de auditoría…</translation>
    </message>
    <message>
        <source>Verifying the audit log</source>
        <translation>Verificando el registro de auditoría</translation>
    </message>
    <message>
        <source>Reading ButterflyMX's access logs of the last day…</source>
        <translation>Leyendo los registros de acceso de ButterflyMX del último día…</translation>
    </message>
    <message>
        <source>Checking the audit log against ButterflyMX</source>
        <translation>Cotejando el registro de auditoría con ButterflyMX</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>Exportar el registro de auditoría</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exporting the audit log to {0}…</source>
        <translation>Exportando el registro de auditoría a {0}…</translation>
    </message>
    <message>
        <source>Exporting the audit log</source>
        <translation>Exportando el registro de auditoría</translation>
    </message>
    <message>
        <source>Exported 1 entry to {0}.</source>
        <translation>Se exportó 1 entrada a {0}.</translation>
    </message>
    <message>
        <source>Exported {0:,} entries to {1}.</source>
        <translation>Se exportaron {0:,} entradas a {1}.</translation>
    </message>
    <message>
        <source>Keep it where this desk cannot change it.</source>
        <translation>Guárdelo donde este puesto no pueda cambiarlo.</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Door or pass</source>
        <translation>Puerta o pase</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Release id · guid</source>
        <translation>Id de apertura · guid</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <source>Door release</source>
        <translation>Apertura de puerta</translation>
    </message>
    <message>
        <source>Pass issued</source>
        <translation>Pase emitido</translation>
    </message>
    <message>
        <source>Pass revoked</source>
        <translation>Pase revocado</translation>
    </message>
    <message>
        <source>Shift start</source>
        <translation>Inicio del turno</translation>
    </message>
    <message>
        <source>Shift end</source>
        <translation>Fin del turno</translation>
    </message>
    <message>
        <source>Operator change</source>
        <translation>Cambio de operador</translation>
    </message>
    <message>
        <source>Call acknowledged</source>
        <translation>Llamada atendida</translation>
    </message>
    <message>
        <source>Call dismissed</source>
        <translation>Llamada descartada</translation>
    </message>
    <message>
        <source>Release from call</source>
        <translation>Apertura desde una llamada</translation>
    </message>
    <message>
        <source>Kiosk exit</source>
        <translation>Salida del quiosco</translation>
    </message>
    <message>
        <source>Kiosk PIN change</source>
        <translation>Cambio del PIN del quiosco</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>Configuración cambiada</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Inicio de sesión</translation>
    </message>
    <message>
        <source>Sign-out</source>
        <translation>Cierre de sesión</translation>
    </message>
    <message>
        <source>Audit export</source>
        <translation>Exportación de auditoría</translation>
    </message>
    <message>
        <source>Entries missing</source>
        <translation>Faltan entradas</translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation>Resultado desconocido</translation>
    </message>
    <message>
        <source>Confirmed by ButterflyMX</source>
        <translation>Confirmada por ButterflyMX</translation>
    </message>
    <message>
        <source>Unknown, later confirmed</source>
        <translation>Desconocido, luego confirmado</translation>
    </message>
    <message>
        <source>{0} · door {1}</source>
        <translation>{0} · puerta {1}</translation>
    </message>
    <message>
        <source>Door {0}</source>
        <translation>Puerta {0}</translation>
    </message>
    <message>
        <source>{0} (UTC {1})</source>
        <translation>{0} (UTC {1})</translation>
    </message>
    <message>
        <source>Release {0}, guid {1}</source>
        <translation>Apertura {0}, guid {1}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Show the technical details</source>
        <translation>Mostrar los detalles técnicos</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Cerrar aviso</translation>
    </message>
</context>
<context>
    <name>BuildingPage</name>
    <message>
        <source>Which building does this desk watch?</source>
        <translation>¿Qué edificio vigila este puesto?</translation>
    </message>
    <message>
        <source>Pick one building, or all the buildings these credentials can see. Doors, events and calls are shown for the buildings picked here.</source>
        <translation>Elija un edificio, o todos los edificios que ven estas credenciales. Se muestran las puertas, los eventos y las llamadas de los edificios elegidos aquí.</translation>
    </message>
    <message>
        <source>Filter buildings</source>
        <translation>Filtrar edificios</translation>
    </message>
    <message>
        <source>Loading the buildings…</source>
        <translation>Cargando los edificios…</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>Todos los edificios</translation>
    </message>
    <message>
        <source>Every building these credentials can see ({0})</source>
        <translation>Todos los edificios que ven estas credenciales ({0})</translation>
    </message>
    <message>
        <source>id {0}</source>
        <translation>id {0}</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Loading failed unexpectedly ({0}); the log has details.</source>
        <translation>La carga falló de forma inesperada ({0}); el registro tiene los detalles.</translation>
    </message>
</context>
<context>
    <name>CallBanner</name>
    <message>
        <source>Incoming call</source>
        <translation>Llamada entrante</translation>
    </message>
    <message>
        <source>Click to see the snapshot large</source>
        <translation>Haga clic para ver la foto en grande</translation>
    </message>
    <message>
        <source>Calling panel</source>
        <translation>Panel que llama</translation>
    </message>
    <message>
        <source>Call details</source>
        <translation>Detalles de la llamada</translation>
    </message>
    <message>
        <source>Release result</source>
        <translation>Resultado de la apertura</translation>
    </message>
    <message>
        <source>What the panel was told</source>
        <translation>Lo que se le comunicó al panel</translation>
    </message>
    <message>
        <source>Call sound</source>
        <translation>Sonido de la llamada</translation>
    </message>
    <message>
        <source>Call position in the queue</source>
        <translation>Posición de la llamada en la cola</translation>
    </message>
    <message>
        <source>Previous call</source>
        <translation>Llamada anterior</translation>
    </message>
    <message>
        <source>Next call</source>
        <translation>Llamada siguiente</translation>
    </message>
    <message>
        <source>Show missed calls</source>
        <translation>Mostrar las llamadas perdidas</translation>
    </message>
    <message>
        <source>No door is linked to this panel.</source>
        <translation>Ninguna puerta está vinculada a este panel.</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Atendida</translation>
    </message>
    <message>
        <source>Acknowledge the call</source>
        <translation>Marcar la llamada como atendida</translation>
    </message>
    <message>
        <source>The call is handled: hide it ({0})</source>
        <translation>La llamada está atendida: ocultarla ({0})</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Rechazar</translation>
    </message>
    <message>
        <source>Decline the call</source>
        <translation>Rechazar la llamada</translation>
    </message>
    <message>
        <source>End the call at the panel without opening</source>
        <translation>Terminar la llamada en el panel sin abrir</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Cerrar aviso</translation>
    </message>
    <message>
        <source>Dismiss the call</source>
        <translation>Descartar la llamada</translation>
    </message>
    <message>
        <source>Hide the call; it stays in the missed calls</source>
        <translation>Ocultar la llamada; queda en las llamadas perdidas</translation>
    </message>
    <message>
        <source>Missed calls</source>
        <translation>Llamadas perdidas</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Revisar</translation>
    </message>
    <message>
        <source>Review missed calls</source>
        <translation>Revisar las llamadas perdidas</translation>
    </message>
    <message>
        <source>Hide the missed calls notice</source>
        <translation>Ocultar el aviso de llamadas perdidas</translation>
    </message>
    <message>
        <source>Hide this notice; the list stays available</source>
        <translation>Ocultar este aviso; la lista sigue disponible</translation>
    </message>
    <message>
        <source>door {0}</source>
        <translation>puerta {0}</translation>
    </message>
    <message>
        <source>Releasing {0}…</source>
        <translation>Abriendo {0}…</translation>
    </message>
    <message>
        <source>Releasing {0}</source>
        <translation>Abriendo {0}</translation>
    </message>
    <message>
        <source>{0} was not released: {1}</source>
        <translation>{0} no se abrió: {1}</translation>
    </message>
    <message>
        <source>{0} was not released: unexpected error ({1}); see the log.</source>
        <translation>{0} no se abrió: error inesperado ({1}); vea el registro.</translation>
    </message>
    <message>
        <source>Missed ({0})</source>
        <translation>Perdidas ({0})</translation>
    </message>
    <message>
        <source>CALL FOR THE FRONT DESK</source>
        <translation>LLAMADA PARA RECEPCIÓN</translation>
    </message>
    <message>
        <source>INCOMING DELIVERY CALL</source>
        <translation>LLAMADA DE REPARTO ENTRANTE</translation>
    </message>
    <message>
        <source>INCOMING CALL</source>
        <translation>LLAMADA ENTRANTE</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0} de {1}</translation>
    </message>
    <message>
        <source>{0} from {1}</source>
        <translation>{0} desde {1}</translation>
    </message>
    <message>
        <source>Release {0}</source>
        <translation>Abrir {0}</translation>
    </message>
    <message>
        <source>Open {0} for the caller ({1})</source>
        <translation>Abrir {0} para quien llama ({1})</translation>
    </message>
    <message>
        <source>Snapshot — {0}</source>
        <translation>Foto — {0}</translation>
    </message>
    <message>
        <source>Unknown panel</source>
        <translation>Panel desconocido</translation>
    </message>
    <message>
        <source>For the front desk</source>
        <translation>Para recepción</translation>
    </message>
    <message>
        <source>For {0}</source>
        <translation>Para {0}</translation>
    </message>
    <message>
        <source>For a resident, unit {0}</source>
        <translation>Para un residente, unidad {0}</translation>
    </message>
    <message>
        <source>For a resident</source>
        <translation>Para un residente</translation>
    </message>
    <message>
        <source>Recipient not given</source>
        <translation>Destinatario no indicado</translation>
    </message>
    <message>
        <source>Nobody answered from the desk</source>
        <translation>Nadie respondió desde el puesto</translation>
    </message>
    <message>
        <source>Door opened by the resident</source>
        <translation>Puerta abierta por el residente</translation>
    </message>
    <message>
        <source>{0} s ago</source>
        <translation>hace {0} s</translation>
    </message>
    <message>
        <source>{0} min ago</source>
        <translation>hace {0} min</translation>
    </message>
    <message>
        <source>1 missed call</source>
        <translation>1 llamada perdida</translation>
    </message>
    <message>
        <source>{0} missed calls</source>
        <translation>{0} llamadas perdidas</translation>
    </message>
    <message>
        <source> — the last from {0} at {1}</source>
        <translation> — la última desde {0} a las {1}</translation>
    </message>
    <message>
        <source>a panel</source>
        <translation>un panel</translation>
    </message>
    <message>
        <source>the release failed</source>
        <translation>la apertura falló</translation>
    </message>
    <message>
        <source>{0}: outcome unknown: {1}</source>
        <translation>{0}: resultado desconocido: {1}</translation>
    </message>
    <message>
        <source>press ignored</source>
        <translation>pulsación ignorada</translation>
    </message>
    <message>
        <source>{0} released.</source>
        <translation>{0} abierta.</translation>
    </message>
    <message>
        <source>The audit log could not be written: {0}</source>
        <translation>No se pudo escribir en el registro de auditoría: {0}</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Sonando</translation>
    </message>
    <message>
        <source>Caller hung up</source>
        <translation>El visitante colgó</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Sin respuesta</translation>
    </message>
    <message>
        <source>Door opened</source>
        <translation>Puerta abierta</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Rechazada</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Contestada</translation>
    </message>
    <message>
        <source>Connecting the call</source>
        <translation>Conectando la llamada</translation>
    </message>
    <message>
        <source>Rolled over to a phone call</source>
        <translation>Desviada a una llamada telefónica</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazada por el sistema</translation>
    </message>
    <message>
        <source>Status not given</source>
        <translation>Estado no indicado</translation>
    </message>
    <message>
        <source>No sound device is available: calls ring on screen only.</source>
        <translation>No hay ningún dispositivo de sonido: las llamadas solo se avisan en pantalla.</translation>
    </message>
</context>
<context>
    <name>CallKeys</name>
    <message>
        <source>Release a ringing panel's only door</source>
        <translation>Abrir la única puerta de un panel que está sonando</translation>
    </message>
    <message>
        <source>Release the calling panel's door {0}</source>
        <translation>Abrir la puerta {0} del panel que llama</translation>
    </message>
    <message>
        <source>Acknowledge the ringing call</source>
        <translation>Marcar como atendida la llamada que está sonando</translation>
    </message>
</context>
<context>
    <name>CommandsDialog</name>
    <message>
        <source>Driver commands</source>
        <translation>Comandos del driver</translation>
    </message>
    <message>
        <source>Commands</source>
        <translation>Comandos</translation>
    </message>
    <message>
        <source>The GEM ButterflyMX driver's commands, on this desk's connection.</source>
        <translation>Los comandos del driver GEM de ButterflyMX, con la conexión de este puesto.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecutar</translation>
    </message>
    <message>
        <source>Run the selected command</source>
        <translation>Ejecutar el comando seleccionado</translation>
    </message>
    <message>
        <source>Copy as JSON</source>
        <translation>Copiar como JSON</translation>
    </message>
    <message>
        <source>Copy the result as JSON</source>
        <translation>Copiar el resultado como JSON</translation>
    </message>
    <message>
        <source>Filter rows</source>
        <translation>Filtrar filas</translation>
    </message>
    <message>
        <source>Result rows</source>
        <translation>Filas del resultado</translation>
    </message>
    <message>
        <source>Result fields</source>
        <translation>Campos del resultado</translation>
    </message>
    <message>
        <source>Close the commands</source>
        <translation>Cerrar los comandos</translation>
    </message>
    <message>
        <source>Running {0}…</source>
        <translation>Ejecutando {0}…</translation>
    </message>
    <message>
        <source>Running {0}</source>
        <translation>Ejecutando {0}</translation>
    </message>
    <message>
        <source>{0} failed unexpectedly ({1}); the log has details.</source>
        <translation>{0} falló de forma inesperada ({1}); el registro tiene los detalles.</translation>
    </message>
    <message>
        <source>No result: the command failed (see above).</source>
        <translation>Sin resultado: el comando falló (vea arriba).</translation>
    </message>
    <message>
        <source>Pick a command and press Run.</source>
        <translation>Elija un comando y pulse Ejecutar.</translation>
    </message>
    <message>
        <source>{0:.2f} s</source>
        <translation>{0:.2f} s</translation>
    </message>
    <message>
        <source>{0}: {1} rows · {2}</source>
        <translation>{0}: {1} filas · {2}</translation>
    </message>
    <message>
        <source>{0}: done · {1}</source>
        <translation>{0}: hecho · {1}</translation>
    </message>
    <message>
        <source>The result of {0} is on the clipboard as JSON.</source>
        <translation>El resultado de {0} está en el portapapeles como JSON.</translation>
    </message>
    <message>
        <source>List buildings visible to the credentials.</source>
        <translation>Lista los edificios que ven las credenciales.</translation>
    </message>
    <message>
        <source>List doors. Each door's id is the address it is released by.</source>
        <translation>Lista las puertas. El id de cada puerta es la dirección con la que se abre.</translation>
    </message>
    <message>
        <source>List intercom panels (the hardware door stations).</source>
        <translation>Lista los paneles del intercomunicador (las estaciones de las puertas).</translation>
    </message>
    <message>
        <source>Force a status tick and return the cached door roster.</source>
        <translation>Fuerza una actualización del estado y devuelve la lista de puertas guardada.</translation>
    </message>
    <message>
        <source>Walk the recent access-log feed (the last hour, newest first).</source>
        <translation>Recorre el registro de accesos reciente (la última hora, lo más nuevo primero).</translation>
    </message>
    <message>
        <source>Force a fresh OAuth 2.0 token (debug).</source>
        <translation>Fuerza un token OAuth 2.0 nuevo (depuración).</translation>
    </message>
</context>
<context>
    <name>ConfirmReleaseDialog</name>
    <message>
        <source>Confirm release</source>
        <translation>Confirmar la apertura</translation>
    </message>
    <message>
        <source>Release {0} — {1}?</source>
        <translation>¿Abrir {0} — {1}?</translation>
    </message>
    <message>
        <source>Release {0}?</source>
        <translation>¿Abrir {0}?</translation>
    </message>
    <message>
        <source>{0} is marked sensitive. Check who is at the door before you release it.</source>
        <translation>{0} está marcada como sensible. Compruebe quién está en la puerta antes de abrirla.</translation>
    </message>
    <message>
        <source>Confirm before release is on for {0}.</source>
        <translation>Confirmar antes de abrir está activado para {0}.</translation>
    </message>
    <message>
        <source>Enter releases · Esc cancels</source>
        <translation>Intro abre · Esc cancela</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel the release</source>
        <translation>Cancelar la apertura</translation>
    </message>
    <message>
        <source>Release {0}</source>
        <translation>Abrir {0}</translation>
    </message>
</context>
<context>
    <name>CredentialsPage</name>
    <message>
        <source>Connect to ButterflyMX</source>
        <translation>Conectar con ButterflyMX</translation>
    </message>
    <message>
        <source>Your ButterflyMX partner contact mints API credentials for the property. A person's ButterflyMX account can sign in by code instead.</source>
        <translation>Su contacto de ButterflyMX emite las credenciales de API para el edificio. Una cuenta personal de ButterflyMX puede iniciar sesión con un código.</translation>
    </message>
    <message>
        <source>Client ID and secret</source>
        <translation>ID y secreto de cliente</translation>
    </message>
    <message>
        <source>Sign in with a ButterflyMX account</source>
        <translation>Iniciar sesión con una cuenta de ButterflyMX</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID de cliente</translation>
    </message>
    <message>
        <source>client_id from the portal</source>
        <translation>client_id del portal</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Secreto de cliente</translation>
    </message>
    <message>
        <source>client_secret</source>
        <translation>client_secret</translation>
    </message>
    <message>
        <source>API address</source>
        <translation>Dirección de la API</translation>
    </message>
    <message>
        <source>Token address</source>
        <translation>Dirección de tokens</translation>
    </message>
    <message>
        <source>Regional or staging endpoint</source>
        <translation>Servidor regional o de pruebas</translation>
    </message>
    <message>
        <source>Show the endpoint addresses</source>
        <translation>Mostrar las direcciones de los servidores</translation>
    </message>
    <message>
        <source>No usable OS keyring was found, so the client secret cannot be stored: the desk will need BMX_CLIENT_SECRET in its environment, or a keyring (on Linux: gnome-keyring) installed and unlocked.</source>
        <translation>No se encontró un llavero del sistema utilizable, así que el secreto de cliente no se puede guardar: el puesto necesitará BMX_CLIENT_SECRET en su entorno, o un llavero (en Linux: gnome-keyring) instalado y desbloqueado.</translation>
    </message>
    <message>
        <source>Type the client ID first: the sign-in is for that client.</source>
        <translation>Escriba primero el ID de cliente: el inicio de sesión es para ese cliente.</translation>
    </message>
    <message>
        <source>No usable OS keyring was found (Secret Service, macOS Keychain or Windows Credential Manager), so a sign-in could not be kept: install and unlock a keyring (on Linux: gnome-keyring), or use the client ID and secret with BMX_CLIENT_SECRET set in the environment.</source>
        <translation>No se encontró un llavero del sistema utilizable (Secret Service, Llavero de macOS o Administrador de credenciales de Windows), así que no se pudo guardar el inicio de sesión: instale y desbloquee un llavero (en Linux: gnome-keyring), o use el ID y el secreto de cliente con BMX_CLIENT_SECRET en el entorno.</translation>
    </message>
    <message>
        <source>Closing the sign-in connection</source>
        <translation>Cerrando la conexión de inicio de sesión</translation>
    </message>
    <message>
        <source>Checking the credentials…</source>
        <translation>Comprobando las credenciales…</translation>
    </message>
    <message>
        <source>Checking the credentials</source>
        <translation>Comprobando las credenciales</translation>
    </message>
    <message>
        <source>The check failed unexpectedly ({0}); the log has details.</source>
        <translation>La comprobación falló de forma inesperada ({0}); el registro tiene los detalles.</translation>
    </message>
</context>
<context>
    <name>DeskTray</name>
    <message>
        <source>Show window</source>
        <translation>Mostrar la ventana</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>Notify me of incoming &amp;calls</source>
        <translation>Avisarme de las &amp;llamadas entrantes</translation>
    </message>
    <message>
        <source>Notify me when the &amp;connection drops</source>
        <translation>Avisarme cuando se caiga la &amp;conexión</translation>
    </message>
    <message>
        <source>Connection to ButterflyMX restored</source>
        <translation>Conexión con ButterflyMX restablecida</translation>
    </message>
    <message>
        <source>Doors, events and calls are updating again.</source>
        <translation>Las puertas, los eventos y las llamadas vuelven a actualizarse.</translation>
    </message>
    <message>
        <source>Call from {0}</source>
        <translation>Llamada desde {0}</translation>
    </message>
    <message>
        <source>a panel</source>
        <translation>un panel</translation>
    </message>
    <message>
        <source>{0} calls</source>
        <translation>{0} llamadas</translation>
    </message>
    <message>
        <source>From {0}.</source>
        <translation>Desde {0}.</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Degradado</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Desconectado</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Sesión cerrada</translation>
    </message>
    <message>
        <source>bmx-console — {0}</source>
        <translation>bmx-console — {0}</translation>
    </message>
    <message>
        <source>Sign in again to resume updates.</source>
        <translation>Inicie sesión de nuevo para reanudar las actualizaciones.</translation>
    </message>
    <message>
        <source>Signed out of ButterflyMX</source>
        <translation>Sesión de ButterflyMX cerrada</translation>
    </message>
    <message>
        <source>Updates are paused. Sign in again from the desk window.</source>
        <translation>Las actualizaciones están en pausa. Inicie sesión de nuevo desde la ventana del puesto.</translation>
    </message>
    <message>
        <source>Connection to ButterflyMX lost</source>
        <translation>Conexión con ButterflyMX perdida</translation>
    </message>
    <message>
        <source>Releases may fail, and doors and events shown are going stale.</source>
        <translation>Las aperturas pueden fallar, y las puertas y los eventos mostrados se están quedando desfasados.</translation>
    </message>
    <message>
        <source>For the front desk · {0}</source>
        <translation>Para recepción · {0}</translation>
    </message>
    <message>
        <source>For unit {0} · {1}</source>
        <translation>Para la unidad {0} · {1}</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Ready to start</source>
        <translation>Listo para empezar</translation>
    </message>
    <message>
        <source>Check what will be saved. Finish writes the settings and starts the desk.</source>
        <translation>Revise lo que se va a guardar. Finalizar escribe la configuración e inicia el puesto.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finalizar</translation>
    </message>
    <message>
        <source>OS keyring ({0})</source>
        <translation>Llavero del sistema ({0})</translation>
    </message>
    <message>
        <source>nowhere: no usable OS keyring</source>
        <translation>en ningún sitio: no hay un llavero del sistema utilizable</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID de cliente</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Inicio de sesión</translation>
    </message>
    <message>
        <source>ButterflyMX account, kept in the {0}</source>
        <translation>Cuenta de ButterflyMX, guardada en {0}</translation>
    </message>
    <message>
        <source>Client secret, stored in the {0}</source>
        <translation>Secreto de cliente, guardado en {0}</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>Edificio</translation>
    </message>
    <message>
        <source>Release doors as</source>
        <translation>Abrir puertas como</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>Archivo de configuración</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Not set yet: door release stays off</source>
        <translation>Sin configurar aún: la apertura de puertas sigue desactivada</translation>
    </message>
    <message>
        <source>{0} (id {1})</source>
        <translation>{0} (id {1})</translation>
    </message>
    <message>
        <source>{0}: {1} (id {2})</source>
        <translation>{0}: {1} (id {2})</translation>
    </message>
    <message>
        <source>{0}: none yet, its doors cannot be released</source>
        <translation>{0}: ninguno aún, sus puertas no se pueden abrir</translation>
    </message>
    <message>
        <source>The settings were saved, but the client secret was not: {0} The desk will use the secret for this session only; the next start will ask for it again.</source>
        <translation>La configuración se guardó, pero el secreto de cliente no: {0} El puesto usará el secreto solo durante esta sesión; el próximo inicio volverá a pedirlo.</translation>
    </message>
    <message>
        <source>Finish without the secret</source>
        <translation>Finalizar sin el secreto</translation>
    </message>
</context>
<context>
    <name>DoorList</name>
    <message>
        <source>Search doors by name, building or id</source>
        <translation>Buscar puertas por nombre, edificio o id</translation>
    </message>
    <message>
        <source>Search doors</source>
        <translation>Buscar puertas</translation>
    </message>
    <message>
        <source>Building filter</source>
        <translation>Filtro de edificio</translation>
    </message>
    <message>
        <source>Number of doors shown</source>
        <translation>Número de puertas mostradas</translation>
    </message>
    <message>
        <source>Doors</source>
        <translation>Puertas</translation>
    </message>
    <message>
        <source>Enter or Space releases the selected door · F-keys release their own door</source>
        <translation>Enter o Espacio abre la puerta seleccionada · las teclas F abren su propia puerta</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>Todos los edificios</translation>
    </message>
    <message>
        <source>door {0}</source>
        <translation>puerta {0}</translation>
    </message>
    <message>
        <source>Releasing {0}</source>
        <translation>Abriendo {0}</translation>
    </message>
    <message>
        <source>F{0} is not bound to a door: bind it from a door's menu (Hotkey).</source>
        <translation>F{0} no está asignada a ninguna puerta: asígnela desde el menú de una puerta (Tecla rápida).</translation>
    </message>
    <message>
        <source>F{0} is bound to door {1}, which is not in the door list.</source>
        <translation>F{0} está asignada a la puerta {1}, que no está en la lista de puertas.</translation>
    </message>
    <message>
        <source>Press Enter again to release {0}</source>
        <translation>Pulse Enter otra vez para abrir {0}</translation>
    </message>
    <message>
        <source>Order will update when the pointer leaves the list</source>
        <translation>El orden se actualizará cuando el puntero salga de la lista</translation>
    </message>
    <message>
        <source>Release {0}</source>
        <translation>Abrir {0}</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>Desfijar</translation>
    </message>
    <message>
        <source>Pin to top</source>
        <translation>Fijar arriba</translation>
    </message>
    <message>
        <source>Copy door id ({0})</source>
        <translation>Copiar el id de la puerta ({0})</translation>
    </message>
    <message>
        <source>Door list may be out of date — stale since {0}.</source>
        <translation>La lista de puertas puede estar desfasada — sin actualizar desde {0}.</translation>
    </message>
    <message>
        <source>Loading doors…</source>
        <translation>Cargando las puertas…</translation>
    </message>
    <message>
        <source>1 door</source>
        <translation>1 puerta</translation>
    </message>
    <message numerus="yes">
        <source>%n doors</source>
        <translation>
            <numerusform>%n puerta</numerusform>
            <numerusform>%n puertas</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} of {1} doors</source>
        <translation>{0} de {1} puertas</translation>
    </message>
    <message>
        <source>No door matches the search or building filter.</source>
        <translation>Ninguna puerta coincide con la búsqueda o el filtro de edificio.</translation>
    </message>
    <message>
        <source>Hotkey</source>
        <translation>Tecla rápida</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguna</translation>
    </message>
    <message>
        <source>released {0}</source>
        <translation>{0} abierta</translation>
    </message>
    <message>
        <source>{0}: outcome unknown: {1}</source>
        <translation>{0}: resultado desconocido: {1}</translation>
    </message>
    <message>
        <source>{0} was not released: {1}</source>
        <translation>{0} no se abrió: {1}</translation>
    </message>
</context>
<context>
    <name>DoorTableModel</name>
    <message>
        <source>Door</source>
        <translation>Puerta</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>Edificio</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Last event</source>
        <translation>Último evento</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Released · {0} s</source>
        <translation>Abierta · {0} s</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>Abierta</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Falló</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>No events yet</source>
        <translation>Aún no hay eventos</translation>
    </message>
    <message>
        <source>Release {0} now ({1}Enter or Space on the selected row)</source>
        <translation>Abrir {0} ahora ({1}Enter o Espacio en la fila seleccionada)</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Door {0}</source>
        <translation>Puerta {0}</translation>
    </message>
    <message>
        <source>Building {0}</source>
        <translation>Edificio {0}</translation>
    </message>
    <message>
        <source>Cannot release {0}: {1}</source>
        <translation>No se puede abrir {0}: {1}</translation>
    </message>
    <message>
        <source>Release {0}</source>
        <translation>Abrir {0}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Door {0} · panels: {1}</source>
        <translation>Puerta {0} · paneles: {1}</translation>
    </message>
    <message>
        <source> · pinned</source>
        <translation> · fijada</translation>
    </message>
    <message>
        <source>Details: {0}</source>
        <translation>Detalles: {0}</translation>
    </message>
</context>
<context>
    <name>DoorTile</name>
    <message>
        <source>Door {id}</source>
        <translation>Puerta {id}</translation>
    </message>
    <message>
        <source>Not available here</source>
        <translation>No disponible aquí</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Unavailable</source>
        <translation>No disponible</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Abriendo…</translation>
    </message>
    <message>
        <source>Unlocked · {seconds} s</source>
        <translation>Abierta · {seconds} s</translation>
    </message>
    <message>
        <source>Could not open</source>
        <translation>No se pudo abrir</translation>
    </message>
    <message>
        <source>Keep holding…</source>
        <translation>Siga pulsando…</translation>
    </message>
    <message>
        <source>Hold to open</source>
        <translation>Mantener para abrir</translation>
    </message>
    <message>
        <source>Tap to open</source>
        <translation>Toque para abrir</translation>
    </message>
    <message>
        <source>This door is not visible to the kiosk's ButterflyMX account.</source>
        <translation>Esta puerta no es visible para la cuenta de ButterflyMX del quiosco.</translation>
    </message>
    <message>
        <source>Last: {what} at {when}</source>
        <translation>Último: {what} a las {when}</translation>
    </message>
    <message>
        <source>Open {door}</source>
        <translation>Abrir {door}</translation>
    </message>
</context>
<context>
    <name>EventDetailsDialog</name>
    <message>
        <source>{kind} — {door}</source>
        <translation>{kind} — {door}</translation>
    </message>
    <message>
        <source>Event details</source>
        <translation>Detalles del evento</translation>
    </message>
    <message>
        <source>Close event details</source>
        <translation>Cerrar los detalles del evento</translation>
    </message>
    <message>
        <source>{kind} at {door}</source>
        <translation>{kind} en {door}</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>Puerta</translation>
    </message>
    <message>
        <source>{0} (id {1})</source>
        <translation>{0} (id {1})</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>Edificio</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Release type</source>
        <translation>Tipo de apertura</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Método</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Inquilino</translation>
    </message>
    <message>
        <source>Pass (keychain)</source>
        <translation>Pase (llavero)</translation>
    </message>
    <message>
        <source>Logged (UTC)</source>
        <translation>Registrado (UTC)</translation>
    </message>
    <message>
        <source>Event id</source>
        <translation>Id del evento</translation>
    </message>
</context>
<context>
    <name>EventHistory</name>
    <message>
        <source>Earlier events</source>
        <translation>Eventos anteriores</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>Edificio</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>Todos los edificios</translation>
    </message>
    <message>
        <source>Fetch</source>
        <translation>Obtener</translation>
    </message>
    <message>
        <source>Fetch the events of this period</source>
        <translation>Obtener los eventos de este período</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stop fetching</source>
        <translation>Dejar de obtener</translation>
    </message>
    <message>
        <source>Fetching progress</source>
        <translation>Progreso de la obtención</translation>
    </message>
    <message>
        <source>Choose a period and press Fetch.</source>
        <translation>Elija un período y pulse Obtener.</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Export the events shown to a CSV file</source>
        <translation>Exportar los eventos mostrados a un archivo CSV</translation>
    </message>
    <message>
        <source>The end of the period must be after its start.</source>
        <translation>El final del período debe ser posterior a su inicio.</translation>
    </message>
    <message>
        <source>Fetching…</source>
        <translation>Obteniendo…</translation>
    </message>
    <message>
        <source>Fetching earlier events</source>
        <translation>Obteniendo eventos anteriores</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <source>Stopped: {0}</source>
        <translation>Detenido: {0}</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Listo.</translation>
    </message>
    <message>
        <source>{0} {1} events and {2} calls in this period.</source>
        <translation>{0} {1} eventos y {2} llamadas en este período.</translation>
    </message>
    <message>
        <source>Exported {0} events to {1}.</source>
        <translation>Se exportaron {0} eventos a {1}.</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exportar CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>EventPane</name>
    <message>
        <source>Live events</source>
        <translation>Eventos en directo</translation>
    </message>
    <message>
        <source>Number of events shown</source>
        <translation>Número de eventos mostrados</translation>
    </message>
    <message>
        <source>Filter events by door</source>
        <translation>Filtrar eventos por puerta</translation>
    </message>
    <message>
        <source>Show the events of one door</source>
        <translation>Mostrar los eventos de una puerta</translation>
    </message>
    <message>
        <source>Search who, door or method</source>
        <translation>Buscar quién, puerta o método</translation>
    </message>
    <message>
        <source>Search events</source>
        <translation>Buscar eventos</translation>
    </message>
    <message>
        <source>Events, newest first</source>
        <translation>Eventos, los más recientes primero</translation>
    </message>
    <message>
        <source>Show new events</source>
        <translation>Mostrar los eventos nuevos</translation>
    </message>
    <message>
        <source>All doors</source>
        <translation>Todas las puertas</translation>
    </message>
    <message>
        <source>door {0}</source>
        <translation>puerta {0}</translation>
    </message>
    <message>
        <source>Earlier…</source>
        <translation>Anteriores…</translation>
    </message>
    <message>
        <source>Fetch earlier events</source>
        <translation>Obtener eventos anteriores</translation>
    </message>
    <message>
        <source>Fetch and export the events of an earlier period</source>
        <translation>Obtener y exportar los eventos de un período anterior</translation>
    </message>
    <message>
        <source>↑  1 new event</source>
        <translation>↑  1 evento nuevo</translation>
    </message>
    <message numerus="yes">
        <source>↑  %Ln new events</source>
        <translation>
            <numerusform>↑  %Ln evento nuevo</numerusform>
            <numerusform>↑  %Ln eventos nuevos</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} of {1} events</source>
        <translation>{0} de {1} eventos</translation>
    </message>
    <message>
        <source>1 event</source>
        <translation>1 evento</translation>
    </message>
    <message numerus="yes">
        <source>%Ln events</source>
        <translation>
            <numerusform>%Ln evento</numerusform>
            <numerusform>%Ln eventos</numerusform>
        </translation>
    </message>
    <message>
        <source>No events match these filters.</source>
        <translation>Ningún evento coincide con estos filtros.</translation>
    </message>
    <message>
        <source>No events yet.
Access events appear here as they happen.</source>
        <translation>Aún no hay eventos.
Los eventos de acceso aparecen aquí en cuanto ocurren.</translation>
    </message>
    <message>
        <source>Show details…</source>
        <translation>Mostrar detalles…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Inquilino</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Visita</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Reparto</translation>
    </message>
    <message>
        <source>API release</source>
        <translation>Apertura por API</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Otro</translation>
    </message>
    <message>
        <source>Unlocked</source>
        <translation>Abierta</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Cerrada</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>{status} ({kind})</source>
        <translation>{status} ({kind})</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Locked by schedule</source>
        <translation>Cerrada por horario</translation>
    </message>
    <message>
        <source>Unlocked by schedule</source>
        <translation>Abierta por horario</translation>
    </message>
    <message>
        <source>unit {0}</source>
        <translation>unidad {0}</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Fob</source>
        <translation>Llavero</translation>
    </message>
    <message>
        <source>Access tool</source>
        <translation>Herramienta de acceso</translation>
    </message>
    <message>
        <source>Pass: {0}</source>
        <translation>Pase: {0}</translation>
    </message>
</context>
<context>
    <name>EventTableModel</name>
    <message>
        <source>Schedule</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>Puerta</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Método</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>door {0}</source>
        <translation>puerta {0}</translation>
    </message>
    <message>
        <source>{kind}, {time}, {who}, {door}, {method}</source>
        <translation>{kind}, {time}, {who}, {door}, {method}</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>Set up bmx-console</source>
        <translation>Configurar bmx-console</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>Bienvenida</translation>
    </message>
    <message>
        <source>Credentials</source>
        <translation>Credenciales</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>Edificio</translation>
    </message>
    <message>
        <source>Release tenant</source>
        <translation>Inquilino de apertura</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finalizar</translation>
    </message>
</context>
<context>
    <name>KioskPinSetting</name>
    <message>
        <source>Set PIN</source>
        <translation>Fijar el PIN</translation>
    </message>
    <message>
        <source>Set the kiosk staff PIN</source>
        <translation>Fijar el PIN del personal del quiosco</translation>
    </message>
    <message>
        <source>Remove PIN</source>
        <translation>Quitar el PIN</translation>
    </message>
    <message>
        <source>Remove the kiosk staff PIN</source>
        <translation>Quitar el PIN del personal del quiosco</translation>
    </message>
    <message>
        <source>Kiosk staff PIN</source>
        <translation>PIN del personal del quiosco</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>PIN nuevo</translation>
    </message>
    <message>
        <source>The same again</source>
        <translation>Otra vez el mismo</translation>
    </message>
    <message>
        <source>{0} to {1} digits; not one digit repeated nor a run like 123456. A running kiosk asks for the new PIN at its next prompt.</source>
        <translation>De {0} a {1} cifras; ni una cifra repetida ni una serie como 123456. Un quiosco en marcha pide el PIN nuevo en su próxima solicitud.</translation>
    </message>
    <message>
        <source>Not available here.</source>
        <translation>No disponible aquí.</translation>
    </message>
    <message>
        <source>A staff PIN is set.</source>
        <translation>Hay un PIN del personal.</translation>
    </message>
    <message>
        <source>Not set: nobody can leave the kiosk until one is.</source>
        <translation>Sin fijar: nadie puede salir del quiosco hasta que haya uno.</translation>
    </message>
    <message>
        <source>The two PINs differ: type the same PIN twice.</source>
        <translation>Los dos PIN son distintos: escriba el mismo PIN dos veces.</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>No ha cambiado nada.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Saving the kiosk PIN</source>
        <translation>Guardando el PIN del quiosco</translation>
    </message>
    <message>
        <source>The staff PIN was removed.</source>
        <translation>Se quitó el PIN del personal.</translation>
    </message>
    <message>
        <source>Saved: the kiosk asks for this PIN from its next prompt.</source>
        <translation>Guardado: el quiosco pide este PIN desde su próxima solicitud.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>bmx-console kiosk</source>
        <translation>quiosco bmx-console</translation>
    </message>
    <message>
        <source>Lobby kiosk</source>
        <translation>Quiosco del vestíbulo</translation>
    </message>
    <message>
        <source>Press and hold a door until the ring is full</source>
        <translation>Mantenga pulsada una puerta hasta que el anillo se llene</translation>
    </message>
    <message>
        <source>Tap a door to open it</source>
        <translation>Toque una puerta para abrirla</translation>
    </message>
    <message>
        <source>This kiosk is not set up yet — please ask the front desk</source>
        <translation>Este quiosco aún no está configurado — pregunte en recepción</translation>
    </message>
    <message>
        <source>Loading the doors…</source>
        <translation>Cargando las puertas…</translation>
    </message>
    <message>
        <source>Door {id}</source>
        <translation>Puerta {id}</translation>
    </message>
    <message>
        <source>Recent activity</source>
        <translation>Actividad reciente</translation>
    </message>
    <message>
        <source>No recent activity at these doors.</source>
        <translation>No hay actividad reciente en estas puertas.</translation>
    </message>
    <message>
        <source>Signed out of ButterflyMX since {when}</source>
        <translation>Sesión de ButterflyMX cerrada desde {when}</translation>
    </message>
    <message>
        <source>Cloud unreachable since {when}</source>
        <translation>Sin conexión con la nube desde {when}</translation>
    </message>
    <message>
        <source>Doors cannot be opened here until staff sign in again at the desk. Please use the intercom panel.</source>
        <translation>Las puertas no se pueden abrir aquí hasta que el personal vuelva a iniciar sesión en el puesto. Use el panel del interfono.</translation>
    </message>
    <message>
        <source>Doors cannot be opened here right now; this screen recovers by itself. Please use the intercom panel.</source>
        <translation>Las puertas no se pueden abrir aquí ahora mismo; esta pantalla se recupera sola. Use el panel del interfono.</translation>
    </message>
    <message>
        <source>Opening {door}</source>
        <translation>Abriendo {door}</translation>
    </message>
</context>
<context>
    <name>LogFolderDialog</name>
    <message>
        <source>Log folder</source>
        <translation>Carpeta de registros</translation>
    </message>
    <message>
        <source>No file manager opened the log folder. It is here; copy the path to open it another way or to give it to support:</source>
        <translation>Ningún gestor de archivos abrió la carpeta de registros. Está aquí; copie la ruta para abrirla de otra forma o para dársela a soporte:</translation>
    </message>
    <message>
        <source>Log folder path</source>
        <translation>Ruta de la carpeta de registros</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy the log folder's path</source>
        <translation>Copiar la ruta de la carpeta de registros</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>bmx-console — Security desk</source>
        <translation>bmx-console — Puesto de seguridad</translation>
    </message>
    <message>
        <source> (demo)</source>
        <translation> (demo)</translation>
    </message>
    <message>
        <source>Starting the desk…</source>
        <translation>Iniciando el puesto…</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Sesión cerrada</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Iniciar sesión…</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>Iniciar sesión de nuevo</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Configuración…</translation>
    </message>
    <message>
        <source>Open settings</source>
        <translation>Abrir la configuración</translation>
    </message>
    <message>
        <source>Error message</source>
        <translation>Mensaje de error</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>The live events pane is not part of this build.</source>
        <translation>El panel de eventos en directo no forma parte de esta versión.</translation>
    </message>
    <message>
        <source>Desk sections</source>
        <translation>Secciones del puesto</translation>
    </message>
    <message>
        <source>Doors &amp;&amp; events</source>
        <translation>Puertas y eventos</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Herramientas</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Configuración…</translation>
    </message>
    <message>
        <source>Sign &amp;in…</source>
        <translation>&amp;Iniciar sesión…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>Find a &amp;door</source>
        <translation>Buscar una &amp;puerta</translation>
    </message>
    <message>
        <source>Find an &amp;event</source>
        <translation>Buscar un &amp;evento</translation>
    </message>
    <message>
        <source>Show door &amp;search and building filter</source>
        <translation>Mostrar la &amp;búsqueda de puertas y el filtro de edificio</translation>
    </message>
    <message>
        <source>Events &amp;beside the doors</source>
        <translation>Eventos al &amp;lado de las puertas</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Tema</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>Seguir al &amp;sistema</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>C&amp;laro</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Oscuro</translation>
    </message>
    <message>
        <source>&amp;Commands…</source>
        <translation>&amp;Comandos…</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Guía de uso</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atajos de teclado</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>Abrir la carpeta de &amp;registros</translation>
    </message>
    <message>
        <source>&amp;About bmx-console</source>
        <translation>&amp;Acerca de bmx-console</translation>
    </message>
    <message>
        <source>About bmx-console</source>
        <translation>Acerca de bmx-console</translation>
    </message>
    <message>
        <source>bmx-console {0}</source>
        <translation>bmx-console {0}</translation>
    </message>
    <message>
        <source>A desk console for the ButterflyMX cloud video intercom: doors, releases, access events and panel calls.</source>
        <translation>Un puesto para el videointerfono en la nube de ButterflyMX: puertas, aperturas, eventos de acceso y llamadas de los paneles.</translation>
    </message>
    <message>
        <source>Signed out — sign in again</source>
        <translation>Sesión cerrada — inicie sesión de nuevo</translation>
    </message>
    <message>
        <source>ButterflyMX no longer accepts this desk's sign-in. Updates are paused until you sign in again.</source>
        <translation>ButterflyMX ya no acepta el inicio de sesión de este puesto. Las actualizaciones están en pausa hasta que vuelva a iniciar sesión.</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Algo ha fallado</translation>
    </message>
    <message>
        <source> (and {0} earlier)</source>
        <translation> (y {0} anteriores)</translation>
    </message>
    <message>
        <source>Events may be out of date — stale since {0}.</source>
        <translation>Los eventos pueden estar desfasados — sin actualizar desde {0}.</translation>
    </message>
    <message>
        <source>Passes</source>
        <translation>Pases</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Auditoría</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>Residentes</translation>
    </message>
    <message>
        <source>Show the residents</source>
        <translation>Mostrar los residentes</translation>
    </message>
    <message>
        <source>Quit bmx-console?</source>
        <translation>¿Salir de bmx-console?</translation>
    </message>
    <message>
        <source>Quit the security desk?</source>
        <translation>¿Salir del puesto de seguridad?</translation>
    </message>
    <message>
        <source>Doors can no longer be released from this desk, and panel calls will not ring here until it is started again.</source>
        <translation>Ya no se podrán abrir puertas desde este puesto, y las llamadas de los paneles no sonarán aquí hasta que se vuelva a iniciar.</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>Keep the desk open</source>
        <translation>Mantener el puesto abierto</translation>
    </message>
</context>
<context>
    <name>MissedCallsDialog</name>
    <message>
        <source>Missed calls</source>
        <translation>Llamadas perdidas</translation>
    </message>
    <message>
        <source>Missed calls, newest first</source>
        <translation>Llamadas perdidas, las más recientes primero</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Panel</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>For</source>
        <translation>Para</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>Vaciar la lista</translation>
    </message>
    <message>
        <source>Clear the missed calls list</source>
        <translation>Vaciar la lista de llamadas perdidas</translation>
    </message>
    <message>
        <source>Close missed calls</source>
        <translation>Cerrar las llamadas perdidas</translation>
    </message>
    <message>
        <source>No missed calls</source>
        <translation>No hay llamadas perdidas</translation>
    </message>
    <message>
        <source>1 missed call</source>
        <translation>1 llamada perdida</translation>
    </message>
    <message>
        <source>{0} missed calls</source>
        <translation>{0} llamadas perdidas</translation>
    </message>
</context>
<context>
    <name>NewPassDialog</name>
    <message>
        <source>Delivery pass</source>
        <translation>Pase de reparto</translation>
    </message>
    <message>
        <source>New visitor pass</source>
        <translation>Nuevo pase de visita</translation>
    </message>
    <message>
        <source>One use, for a short while, on the doors ticked below. You hand the courier the PIN and QR code; ButterflyMX sends nothing.</source>
        <translation>Un solo uso, por poco tiempo, en las puertas marcadas abajo. Usted da al repartidor el PIN y el código QR; ButterflyMX no envía nada.</translation>
    </message>
    <message>
        <source>You hand the visitor a PIN and a QR code — on screen, printed or copied into your own message. ButterflyMX sends nothing.</source>
        <translation>Usted da al visitante un PIN y un código QR — en pantalla, impresos o copiados en su propio mensaje. ButterflyMX no envía nada.</translation>
    </message>
    <message>
        <source>Visitor's name</source>
        <translation>Nombre del visitante</translation>
    </message>
    <message>
        <source>Courier or company</source>
        <translation>Repartidor o empresa</translation>
    </message>
    <message>
        <source>Optional: phone or email</source>
        <translation>Opcional: teléfono o correo</translation>
    </message>
    <message>
        <source>Visitor's phone or email (optional)</source>
        <translation>Teléfono o correo del visitante (opcional)</translation>
    </message>
    <message>
        <source>Kept on this computer only, so the desk can reach the visitor.</source>
        <translation>Se guarda solo en este ordenador, para que el puesto pueda contactar con el visitante.</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Ahora</translation>
    </message>
    <message>
        <source>Start now</source>
        <translation>Empezar ahora</translation>
    </message>
    <message>
        <source>At</source>
        <translation>A las</translation>
    </message>
    <message>
        <source>Start at a chosen time</source>
        <translation>Empezar a una hora elegida</translation>
    </message>
    <message>
        <source>Start time</source>
        <translation>Hora de inicio</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>Length in hours</source>
        <translation>Duración en horas</translation>
    </message>
    <message>
        <source>Up to {0} h at this property</source>
        <translation>Hasta {0} h en este edificio</translation>
    </message>
    <message>
        <source>All doors of {0}</source>
        <translation>Todas las puertas de {0}</translation>
    </message>
    <message>
        <source>All doors</source>
        <translation>Todas las puertas</translation>
    </message>
    <message>
        <source>Chosen doors</source>
        <translation>Puertas elegidas</translation>
    </message>
    <message>
        <source>Doors the pass opens</source>
        <translation>Puertas que abre el pase</translation>
    </message>
    <message>
        <source>Tick the doors the pass opens, or choose “{0}”.</source>
        <translation>Marque las puertas que abre el pase, o elija «{0}».</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Phone or email</source>
        <translation>Teléfono o correo</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>Empieza</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Doors</source>
        <translation>Puertas</translation>
    </message>
    <message>
        <source>Delete unfinished pass</source>
        <translation>Borrar el pase sin terminar</translation>
    </message>
    <message>
        <source>Delete the unfinished pass</source>
        <translation>Borrar el pase sin terminar</translation>
    </message>
    <message>
        <source>Create pass</source>
        <translation>Crear el pase</translation>
    </message>
    <message>
        <source>Create the delivery pass</source>
        <translation>Crear el pase de reparto</translation>
    </message>
    <message>
        <source>Create the visitor pass</source>
        <translation>Crear el pase de visita</translation>
    </message>
    <message>
        <source>Close without making a pass</source>
        <translation>Cerrar sin crear un pase</translation>
    </message>
    <message>
        <source>Tick at least one door, or choose all doors.</source>
        <translation>Marque al menos una puerta, o elija todas las puertas.</translation>
    </message>
    <message>
        <source>Making the pass…</source>
        <translation>Creando el pase…</translation>
    </message>
    <message>
        <source>Making the visitor pass</source>
        <translation>Creando el pase de visita</translation>
    </message>
    <message>
        <source>Deleting the unfinished pass…</source>
        <translation>Borrando el pase sin terminar…</translation>
    </message>
    <message>
        <source>Deleting the unfinished pass</source>
        <translation>Borrando el pase sin terminar</translation>
    </message>
    <message>
        <source>The unfinished pass was deleted. You can try again.</source>
        <translation>Se borró el pase sin terminar. Puede volver a intentarlo.</translation>
    </message>
</context>
<context>
    <name>OfflineNotice</name>
    <message>
        <source>Signed out</source>
        <translation>Sesión cerrada</translation>
    </message>
    <message>
        <source>ButterflyMX unreachable since {0} — releases may not go through</source>
        <translation>Sin conexión con ButterflyMX desde {0} — puede que las aperturas no lleguen</translation>
    </message>
    <message>
        <source>The desk keeps trying. Until it gets through, the doors' state is not known; you can still try a release, and the row says whether it went through.</source>
        <translation>El puesto sigue intentándolo. Hasta que lo consiga, no se conoce el estado de las puertas; aún puede intentar una apertura, y la fila indica si llegó.</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
</context>
<context>
    <name>OperatorPrompt</name>
    <message>
        <source>Change &amp;operator…</source>
        <translation>Cambiar de &amp;operador…</translation>
    </message>
</context>
<context>
    <name>PanelAnswers</name>
    <message>
        <source>The call had stopped ringing: the panel was not told.</source>
        <translation>La llamada ya había dejado de sonar: no se le comunicó al panel.</translation>
    </message>
    <message>
        <source>Telling the panel the door is open…</source>
        <translation>Comunicando al panel que la puerta está abierta…</translation>
    </message>
    <message>
        <source>Declining the call at the panel…</source>
        <translation>Rechazando la llamada en el panel…</translation>
    </message>
    <message>
        <source>Telling the panel</source>
        <translation>Comunicando al panel</translation>
    </message>
    <message>
        <source>The panel was not told, and may ring on: {0}</source>
        <translation>No se le comunicó al panel, y puede seguir sonando: {0}</translation>
    </message>
    <message>
        <source>The call was not declined at the panel: {0}</source>
        <translation>La llamada no se rechazó en el panel: {0}</translation>
    </message>
    <message>
        <source>The panel was not told: unexpected error ({0}); see the log.</source>
        <translation>No se le comunicó al panel: error inesperado ({0}); vea el registro.</translation>
    </message>
    <message>
        <source>The panel stopped ringing.</source>
        <translation>El panel dejó de sonar.</translation>
    </message>
    <message>
        <source>Declined: the panel stopped ringing.</source>
        <translation>Rechazada: el panel dejó de sonar.</translation>
    </message>
    <message>
        <source>Signed in with client credentials: a release opens the door, but the panel keeps ringing until it times out.</source>
        <translation>Sesión iniciada con credenciales de cliente: una apertura abre la puerta, pero el panel sigue sonando hasta que se agota su tiempo.</translation>
    </message>
</context>
<context>
    <name>PassDialog</name>
    <message>
        <source>Delivery pass — {0}</source>
        <translation>Pase de reparto — {0}</translation>
    </message>
    <message>
        <source>Visitor pass — {0}</source>
        <translation>Pase de visita — {0}</translation>
    </message>
    <message>
        <source>DELIVERY PASS</source>
        <translation>PASE DE REPARTO</translation>
    </message>
    <message>
        <source>VISITOR PASS</source>
        <translation>PASE DE VISITA</translation>
    </message>
    <message>
        <source>Pass for {0}</source>
        <translation>Pase para {0}</translation>
    </message>
    <message>
        <source>Doors: {0}</source>
        <translation>Puertas: {0}</translation>
    </message>
    <message>
        <source>QR code for the visitor to scan</source>
        <translation>Código QR para que lo escanee el visitante</translation>
    </message>
    <message>
        <source>ButterflyMX gave no QR code for this pass.</source>
        <translation>ButterflyMX no dio código QR para este pase.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>The visitor enters the PIN on the panel's keypad, or holds the QR code up to the panel's camera.</source>
        <translation>El visitante introduce el PIN en el teclado del panel, o muestra el código QR a la cámara del panel.</translation>
    </message>
    <message>
        <source>Pass link</source>
        <translation>Enlace del pase</translation>
    </message>
    <message>
        <source>Copy PIN and link</source>
        <translation>Copiar el PIN y el enlace</translation>
    </message>
    <message>
        <source>Copy the PIN and the link</source>
        <translation>Copiar el PIN y el enlace</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Imprimir…</translation>
    </message>
    <message>
        <source>Print the pass</source>
        <translation>Imprimir el pase</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Guardar como PDF…</translation>
    </message>
    <message>
        <source>Save the pass as a PDF file</source>
        <translation>Guardar el pase como archivo PDF</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hecho</translation>
    </message>
    <message>
        <source>Close the pass</source>
        <translation>Cerrar el pase</translation>
    </message>
    <message>
        <source>The pass works, but it could not be written to the audit log: {0}</source>
        <translation>El pase funciona, pero no se pudo escribir en el registro de auditoría: {0}</translation>
    </message>
    <message>
        <source>PIN: {0}</source>
        <translation>PIN: {0}</translation>
    </message>
    <message>
        <source>QR code: {0}</source>
        <translation>Código QR: {0}</translation>
    </message>
    <message>
        <source>The PIN and the link are on the clipboard.</source>
        <translation>El PIN y el enlace están en el portapapeles.</translation>
    </message>
    <message>
        <source>Printed to {0}.</source>
        <translation>Impreso en {0}.</translation>
    </message>
    <message>
        <source>Sent to the printer {0}.</source>
        <translation>Enviado a la impresora {0}.</translation>
    </message>
    <message>
        <source>Save the pass as PDF</source>
        <translation>Guardar el pase como PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>The folder {0} does not exist. Choose another folder.</source>
        <translation>La carpeta {0} no existe. Elija otra carpeta.</translation>
    </message>
    <message>
        <source>You may not save files in {0}. Choose another folder, such as your Documents.</source>
        <translation>No puede guardar archivos en {0}. Elija otra carpeta, como Documentos.</translation>
    </message>
    <message>
        <source>{0} is a folder. Choose a file name.</source>
        <translation>{0} es una carpeta. Elija un nombre de archivo.</translation>
    </message>
    <message>
        <source>{0} exists and cannot be replaced (read-only, or open in another program).</source>
        <translation>{0} existe y no se puede reemplazar (solo lectura, o abierto en otro programa).</translation>
    </message>
    <message>
        <source>The PDF was not saved: {0}</source>
        <translation>El PDF no se guardó: {0}</translation>
    </message>
    <message>
        <source>Saved to {0}.</source>
        <translation>Guardado en {0}.</translation>
    </message>
    <message>
        <source>Could not write {0}: the disk may be full, or the file open in another program.</source>
        <translation>No se pudo escribir {0}: puede que el disco esté lleno, o el archivo abierto en otro programa.</translation>
    </message>
    <message>
        <source>The printer {0} did not accept the pass: check that it is on and connected.</source>
        <translation>La impresora {0} no aceptó el pase: compruebe que está encendida y conectada.</translation>
    </message>
    <message>
        <source>today {0}</source>
        <translation>hoy {0}</translation>
    </message>
    <message>
        <source>tomorrow {0}</source>
        <translation>mañana {0}</translation>
    </message>
    <message>
        <source>yesterday {0}</source>
        <translation>ayer {0}</translation>
    </message>
    <message>
        <source>set by ButterflyMX</source>
        <translation>fijado por ButterflyMX</translation>
    </message>
    <message>
        <source>Valid {0}</source>
        <translation>Válido {0}</translation>
    </message>
    <message>
        <source>one use</source>
        <translation>un solo uso</translation>
    </message>
    <message>
        <source>Doors chosen by ButterflyMX</source>
        <translation>Puertas elegidas por ButterflyMX</translation>
    </message>
    <message>
        <source>All doors</source>
        <translation>Todas las puertas</translation>
    </message>
    <message>
        <source>door {0}</source>
        <translation>puerta {0}</translation>
    </message>
    <message>
        <source>Enter the PIN on the panel's keypad, or hold the QR code up to the panel's camera.</source>
        <translation>Introduzca el PIN en el teclado del panel, o muestre el código QR a la cámara del panel.</translation>
    </message>
</context>
<context>
    <name>PassesModel</name>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Validez</translation>
    </message>
    <message>
        <source>Doors</source>
        <translation>Puertas</translation>
    </message>
    <message>
        <source>First used</source>
        <translation>Primer uso</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Último uso</translation>
    </message>
    <message>
        <source>Uses</source>
        <translation>Usos</translation>
    </message>
    <message>
        <source>Contact: {0}</source>
        <translation>Contacto: {0}</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Reparto</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Visita</translation>
    </message>
</context>
<context>
    <name>PassesTab</name>
    <message>
        <source>Visitor and delivery passes</source>
        <translation>Pases de visita y de reparto</translation>
    </message>
    <message>
        <source>Passes the front desk issued that have not ended. You hand over the PIN and QR code; ButterflyMX sends nothing.</source>
        <translation>Los pases emitidos por recepción que no han terminado. Usted entrega el PIN y el código QR; ButterflyMX no envía nada.</translation>
    </message>
    <message>
        <source>New visitor pass…</source>
        <translation>Nuevo pase de visita…</translation>
    </message>
    <message>
        <source>New visitor pass</source>
        <translation>Nuevo pase de visita</translation>
    </message>
    <message>
        <source>Make a visitor pass with a PIN and a QR code</source>
        <translation>Crear un pase de visita con un PIN y un código QR</translation>
    </message>
    <message>
        <source>Delivery pass…</source>
        <translation>Pase de reparto…</translation>
    </message>
    <message>
        <source>New delivery pass</source>
        <translation>Nuevo pase de reparto</translation>
    </message>
    <message>
        <source>A one-use pass for a courier, for a short while, on the doors you confirm</source>
        <translation>Un pase de un solo uso para un repartidor, por poco tiempo, en las puertas que confirme</translation>
    </message>
    <message>
        <source>Search name, contact or door</source>
        <translation>Buscar nombre, contacto o puerta</translation>
    </message>
    <message>
        <source>Search passes</source>
        <translation>Buscar pases</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Refresh the passes</source>
        <translation>Actualizar los pases</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Revocar…</translation>
    </message>
    <message>
        <source>Revoke the selected pass</source>
        <translation>Revocar el pase seleccionado</translation>
    </message>
    <message>
        <source>Show PIN and QR…</source>
        <translation>Mostrar PIN y QR…</translation>
    </message>
    <message>
        <source>Show the selected pass</source>
        <translation>Mostrar el pase seleccionado</translation>
    </message>
    <message>
        <source>Active passes</source>
        <translation>Pases activos</translation>
    </message>
    <message>
        <source>Number of active passes</source>
        <translation>Número de pases activos</translation>
    </message>
    <message>
        <source>Reading the passes</source>
        <translation>Leyendo los pases</translation>
    </message>
    <message>
        <source>No active passes</source>
        <translation>No hay pases activos</translation>
    </message>
    <message>
        <source>No active passes.
Make one with “New visitor pass…” or “Delivery pass”.</source>
        <translation>No hay pases activos.
Cree uno con «Nuevo pase de visita…» o «Pase de reparto».</translation>
    </message>
    <message>
        <source>{0} active passes, none match</source>
        <translation>{0} pases activos, ninguno coincide</translation>
    </message>
    <message>
        <source>No pass matches “{0}”.</source>
        <translation>Ningún pase coincide con «{0}».</translation>
    </message>
    <message>
        <source>1 active pass</source>
        <translation>1 pase activo</translation>
    </message>
    <message>
        <source>{0} active passes</source>
        <translation>{0} pases activos</translation>
    </message>
    <message>
        <source>Opening the new pass form</source>
        <translation>Abriendo el formulario de pase nuevo</translation>
    </message>
    <message>
        <source>Opening the delivery pass form</source>
        <translation>Abriendo el formulario de pase de reparto</translation>
    </message>
    <message>
        <source>Revoke pass</source>
        <translation>Revocar el pase</translation>
    </message>
    <message>
        <source>Revoke the pass “{0}”?</source>
        <translation>¿Revocar el pase «{0}»?</translation>
    </message>
    <message>
        <source>Its PIN and QR code stop working at every door at once. This cannot be undone.</source>
        <translation>Su PIN y su código QR dejan de funcionar en todas las puertas a la vez. No se puede deshacer.</translation>
    </message>
    <message>
        <source>Revoke the pass {0}</source>
        <translation>Revocar el pase {0}</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Conservarlo</translation>
    </message>
    <message>
        <source>Keep the pass</source>
        <translation>Conservar el pase</translation>
    </message>
    <message>
        <source>Revoking “{0}”…</source>
        <translation>Revocando «{0}»…</translation>
    </message>
    <message>
        <source>Revoking the pass</source>
        <translation>Revocando el pase</translation>
    </message>
    <message>
        <source>Revoked “{0}”, but the audit log could not be written: {1}</source>
        <translation>Se revocó «{0}», pero no se pudo escribir en el registro de auditoría: {1}</translation>
    </message>
    <message>
        <source>Revoked “{0}”.</source>
        <translation>Se revocó «{0}».</translation>
    </message>
</context>
<context>
    <name>ReleaseButtonDelegate</name>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>Abierta</translation>
    </message>
    <message>
        <source>Release…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Try release</source>
        <translation>Intentar abrir</translation>
    </message>
    <message>
        <source>The list moved just before that click, so nothing was released.</source>
        <translation>La lista se movió justo antes de ese clic, así que no se abrió nada.</translation>
    </message>
    <message>
        <source>Click again.</source>
        <translation>Haga clic otra vez.</translation>
    </message>
    <message>
        <source>The list moved during that click, so nothing was released.</source>
        <translation>La lista se movió durante ese clic, así que no se abrió nada.</translation>
    </message>
</context>
<context>
    <name>ReleaseGate</name>
    <message>
        <source>Door {0}</source>
        <translation>Puerta {0}</translation>
    </message>
    <message>
        <source>Confirm before release (always for sensitive doors)</source>
        <translation>Confirmar antes de abrir (siempre en las puertas sensibles)</translation>
    </message>
    <message>
        <source>Confirm before release</source>
        <translation>Confirmar antes de abrir</translation>
    </message>
    <message>
        <source>Mark as sensitive</source>
        <translation>Marcar como sensible</translation>
    </message>
</context>
<context>
    <name>ReleaseTenants</name>
    <message>
        <source>Release tenants</source>
        <translation>Inquilinos de apertura</translation>
    </message>
    <message>
        <source>Each building's own front-desk tenant: ButterflyMX releases a door only as a tenant of that door's building.</source>
        <translation>El inquilino de recepción propio de cada edificio: ButterflyMX abre una puerta solo en nombre de un inquilino del edificio de esa puerta.</translation>
    </message>
    <message>
        <source>Release tenant for {0}</source>
        <translation>Inquilino de apertura de {0}</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguno</translation>
    </message>
    <message>
        <source>Suggest</source>
        <translation>Sugerir</translation>
    </message>
    <message>
        <source>Suggest the front-desk tenant of {0}</source>
        <translation>Sugerir el inquilino de recepción de {0}</translation>
    </message>
    <message>
        <source>The buildings show here once the desk has loaded its doors.</source>
        <translation>Los edificios aparecen aquí cuando el puesto haya cargado sus puertas.</translation>
    </message>
    <message>
        <source>Buildings without a release tenant</source>
        <translation>Edificios sin inquilino de apertura</translation>
    </message>
    <message>
        <source>Without a release tenant of their own: {0}. Their doors are released as the Release tenant ID above, which ButterflyMX accepts only in its own building.</source>
        <translation>Sin inquilino de apertura propio: {0}. Sus puertas se abren con el ID del inquilino de apertura de arriba, que ButterflyMX solo acepta en su propio edificio.</translation>
    </message>
    <message>
        <source>Still without a release tenant: {0}. Their doors cannot be released.</source>
        <translation>Aún sin inquilino de apertura: {0}. Sus puertas no se pueden abrir.</translation>
    </message>
    <message>
        <source>Every building has a release tenant.</source>
        <translation>Cada edificio tiene un inquilino de apertura.</translation>
    </message>
    <message>
        <source>Loading the tenants of {0}…</source>
        <translation>Cargando los inquilinos de {0}…</translation>
    </message>
    <message>
        <source>Suggesting a release tenant</source>
        <translation>Sugiriendo un inquilino de apertura</translation>
    </message>
    <message>
        <source>No tenant of {0} is named like “Front Desk”: type its id.</source>
        <translation>Ningún inquilino de {0} se llama como «Front Desk»: escriba su id.</translation>
    </message>
    <message>
        <source>Suggested {0} (tenant {1}).</source>
        <translation>Se sugirió {0} (inquilino {1}).</translation>
    </message>
</context>
<context>
    <name>ResidentsView</name>
    <message>
        <source>Residents</source>
        <translation>Residentes</translation>
    </message>
    <message>
        <source>Search by name or unit (e.g. 4B)</source>
        <translation>Buscar por nombre o unidad (p. ej., 4B)</translation>
    </message>
    <message>
        <source>Search residents</source>
        <translation>Buscar residentes</translation>
    </message>
    <message>
        <source>Residents shown</source>
        <translation>Residentes mostrados</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>Piso</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>Edificio</translation>
    </message>
    <message>
        <source>Choose a resident.</source>
        <translation>Elija un residente.</translation>
    </message>
    <message>
        <source>Visitor pass for a guest…</source>
        <translation>Pase de visita para un invitado…</translation>
    </message>
    <message>
        <source>Make a visitor pass for this resident's guest</source>
        <translation>Crear un pase de visita para un invitado de este residente</translation>
    </message>
    <message>
        <source>The unit's recent events</source>
        <translation>Los eventos recientes de la unidad</translation>
    </message>
    <message>
        <source>The unit's recent calls</source>
        <translation>Las llamadas recientes de la unidad</translation>
    </message>
    <message>
        <source>Recent events at this unit</source>
        <translation>Eventos recientes en esta unidad</translation>
    </message>
    <message>
        <source>Recent calls to this unit</source>
        <translation>Llamadas recientes a esta unidad</translation>
    </message>
    <message>
        <source>{0} shown</source>
        <translation>{0} mostrados</translation>
    </message>
    <message>
        <source>No recent events at this unit.</source>
        <translation>No hay eventos recientes en esta unidad.</translation>
    </message>
    <message>
        <source>No recent calls to this unit.</source>
        <translation>No hay llamadas recientes a esta unidad.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation>Secciones de la configuración</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Guardar la configuración</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>Cerrar sin guardar</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Secreto de cliente</translation>
    </message>
    <message>
        <source>Leave empty to keep the current secret</source>
        <translation>Déjelo vacío para conservar el secreto actual</translation>
    </message>
    <message>
        <source>Where the current secret comes from</source>
        <translation>De dónde viene el secreto actual</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Probar la conexión</translation>
    </message>
    <message>
        <source>No usable OS keyring: a secret typed here cannot be stored.</source>
        <translation>No hay un llavero del sistema utilizable: un secreto escrito aquí no se puede guardar.</translation>
    </message>
    <message>
        <source>Set the client ID first: the secret is stored for that client ID.</source>
        <translation>Fije primero el ID de cliente: el secreto se guarda para ese ID de cliente.</translation>
    </message>
    <message>
        <source>Current secret: not set.</source>
        <translation>Secreto actual: sin fijar.</translation>
    </message>
    <message>
        <source>A code sign-in is saved in the OS keyring.</source>
        <translation>Hay un inicio de sesión con código guardado en el llavero del sistema.</translation>
    </message>
    <message>
        <source>Current secret: stored in the OS keyring ({0}).</source>
        <translation>Secreto actual: guardado en el llavero del sistema ({0}).</translation>
    </message>
    <message>
        <source>Current secret: from the environment (BMX_CLIENT_SECRET).</source>
        <translation>Secreto actual: del entorno (BMX_CLIENT_SECRET).</translation>
    </message>
    <message>
        <source>No usable OS keyring: a new secret cannot be stored.</source>
        <translation>No hay un llavero del sistema utilizable: no se puede guardar un secreto nuevo.</translation>
    </message>
    <message>
        <source>Set the client ID too: a client secret belongs to one client ID.</source>
        <translation>Fije también el ID de cliente: un secreto de cliente pertenece a un ID de cliente.</translation>
    </message>
    <message>
        <source>Fix {0} settings to save ({1}).</source>
        <translation>Corrija {0} ajustes para guardar ({1}).</translation>
    </message>
    <message>
        <source>Fix 1 setting to save ({0}).</source>
        <translation>Corrija 1 ajuste para guardar ({0}).</translation>
    </message>
    <message>
        <source>Connecting to {0}…</source>
        <translation>Conectando con {0}…</translation>
    </message>
    <message>
        <source>Testing the connection</source>
        <translation>Probando la conexión</translation>
    </message>
    <message>
        <source>The test failed unexpectedly ({0}); the log has details.</source>
        <translation>La prueba falló de forma inesperada ({0}); el registro tiene los detalles.</translation>
    </message>
    <message>
        <source>The settings were saved, but the client secret was not: {0}</source>
        <translation>La configuración se guardó, pero el secreto de cliente no: {0}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>The API credentials minted for this property in the ButterflyMX portal.</source>
        <translation>Las credenciales de API emitidas para este edificio en el portal de ButterflyMX.</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID de cliente</translation>
    </message>
    <message>
        <source>OAuth 2.0 client_id from the ButterflyMX partner portal.</source>
        <translation>client_id de OAuth 2.0 del portal de socios de ButterflyMX.</translation>
    </message>
    <message>
        <source>API address</source>
        <translation>Dirección de la API</translation>
    </message>
    <message>
        <source>Change only if ButterflyMX directs you to a regional or staging endpoint.</source>
        <translation>Cámbiela solo si ButterflyMX le indica un servidor regional o de pruebas.</translation>
    </message>
    <message>
        <source>Token address</source>
        <translation>Dirección de tokens</translation>
    </message>
    <message>
        <source>The OAuth 2.0 token endpoint.</source>
        <translation>El servidor de tokens de OAuth 2.0.</translation>
    </message>
    <message>
        <source>Building and release</source>
        <translation>Edificio y apertura</translation>
    </message>
    <message>
        <source>Which building this desk watches, and who the doors are released for.</source>
        <translation>Qué edificio vigila este puesto, y para quién se abren las puertas.</translation>
    </message>
    <message>
        <source>Building ID</source>
        <translation>ID del edificio</translation>
    </message>
    <message>
        <source>Scope the desk to one building when the credentials span several.</source>
        <translation>Limita el puesto a un edificio cuando las credenciales abarcan varios.</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>Todos los edificios</translation>
    </message>
    <message>
        <source>Release tenant ID</source>
        <translation>ID del inquilino de apertura</translation>
    </message>
    <message>
        <source>The front desk's placeholder tenant (such as “Front Desk”): ButterflyMX releases doors on its behalf. Used for a building without its own release tenant below.</source>
        <translation>El inquilino genérico de recepción (como «Front Desk»): ButterflyMX abre las puertas en su nombre. Se usa para un edificio sin inquilino de apertura propio más abajo.</translation>
    </message>
    <message>
        <source>Not set: door release is off</source>
        <translation>Sin fijar: la apertura de puertas está desactivada</translation>
    </message>
    <message>
        <source>Polling</source>
        <translation>Consultas</translation>
    </message>
    <message>
        <source>How often the desk asks ButterflyMX for news. Slower polling helps when the cloud rate-limits (HTTP 429).</source>
        <translation>Con qué frecuencia el puesto pregunta a ButterflyMX por novedades. Consultar menos ayuda cuando la nube limita las peticiones.</translation>
    </message>
    <message>
        <source>Door roster</source>
        <translation>Lista de puertas</translation>
    </message>
    <message>
        <source>Door roster poll cadence; at least 15000 ms. A roster of more than 4,000 doors is read at most every 1.5 s per 100 doors (5 minutes at 20,000).</source>
        <translation>Cada cuánto se consulta la lista de puertas; al menos 15000 ms. Una lista de más de 4.000 puertas se consulta como mucho cada 1,5 s por cada 100 puertas (5 minutos con 20.000).</translation>
    </message>
    <message>
        <source>Access events</source>
        <translation>Eventos de acceso</translation>
    </message>
    <message>
        <source>Access-event poll cadence; 0 turns it off.</source>
        <translation>Cada cuánto se consultan los eventos de acceso; 0 lo desactiva.</translation>
    </message>
    <message>
        <source>Panel calls</source>
        <translation>Llamadas de los paneles</translation>
    </message>
    <message>
        <source>Panel-call poll cadence; 0 turns it off.</source>
        <translation>Cada cuánto se consultan las llamadas de los paneles; 0 lo desactiva.</translation>
    </message>
    <message>
        <source>Request timeout</source>
        <translation>Tiempo máximo de una petición</translation>
    </message>
    <message>
        <source>How long one request may take, 1000 to 120000 ms.</source>
        <translation>Cuánto puede tardar una petición, de 1000 a 120000 ms.</translation>
    </message>
    <message>
        <source>Released state</source>
        <translation>Estado «abierta»</translation>
    </message>
    <message>
        <source>How long a door shows “released” after a release. The strike time itself is set on the door in ButterflyMX.</source>
        <translation>Cuánto tiempo muestra una puerta «abierta» tras una apertura. El tiempo del cerradero se fija en la puerta en ButterflyMX.</translation>
    </message>
    <message>
        <source>Desk and alerts</source>
        <translation>Puesto y avisos</translation>
    </message>
    <message>
        <source>Who is at the desk, and how panel calls and connection trouble get attention.</source>
        <translation>Quién está en el puesto, y cómo llaman la atención las llamadas de los paneles y los problemas de conexión.</translation>
    </message>
    <message>
        <source>Operator name</source>
        <translation>Nombre del operador</translation>
    </message>
    <message>
        <source>Written to the audit log with every release and pass.</source>
        <translation>Se escribe en el registro de auditoría con cada apertura y cada pase.</translation>
    </message>
    <message>
        <source>The computer's user name</source>
        <translation>El nombre de usuario del ordenador</translation>
    </message>
    <message>
        <source>Longest visitor pass</source>
        <translation>Pase de visita más largo</translation>
    </message>
    <message>
        <source>The longest visitor pass this desk may issue.</source>
        <translation>El pase de visita más largo que puede emitir este puesto.</translation>
    </message>
    <message>
        <source>Visitor pass length</source>
        <translation>Duración del pase de visita</translation>
    </message>
    <message>
        <source>What a new visitor pass lasts unless changed (at most the longest).</source>
        <translation>Lo que dura un pase de visita nuevo si no se cambia (como mucho el más largo).</translation>
    </message>
    <message>
        <source>Delivery pass length</source>
        <translation>Duración del pase de reparto</translation>
    </message>
    <message>
        <source>What a one-use delivery pass lasts unless changed.</source>
        <translation>Lo que dura un pase de reparto de un solo uso si no se cambia.</translation>
    </message>
    <message>
        <source>Play a sound when a panel calls</source>
        <translation>Sonar cuando llama un panel</translation>
    </message>
    <message>
        <source>The desk's ringtone, until the call is answered or acknowledged.</source>
        <translation>El tono de llamada del puesto, hasta que la llamada se responda o se marque como atendida.</translation>
    </message>
    <message>
        <source>Ring volume</source>
        <translation>Volumen del timbre</translation>
    </message>
    <message>
        <source>How loud the ringtone plays, from 0 to 100.</source>
        <translation>A qué volumen suena el tono de llamada, de 0 a 100.</translation>
    </message>
    <message>
        <source>Bring the window to the front on a call</source>
        <translation>Traer la ventana al frente con una llamada</translation>
    </message>
    <message>
        <source>The console comes forward when a panel calls.</source>
        <translation>La consola pasa al frente cuando llama un panel.</translation>
    </message>
    <message>
        <source>Desktop notification for panel calls</source>
        <translation>Notificación de escritorio para las llamadas de los paneles</translation>
    </message>
    <message>
        <source>Shown even while the console is minimised.</source>
        <translation>Se muestra aunque la consola esté minimizada.</translation>
    </message>
    <message>
        <source>Desktop notification for connection trouble</source>
        <translation>Notificación de escritorio para los problemas de conexión</translation>
    </message>
    <message>
        <source>When the connection to ButterflyMX is lost, and when it is back.</source>
        <translation>Cuando se pierde la conexión con ButterflyMX, y cuando vuelve.</translation>
    </message>
    <message>
        <source>Times shown</source>
        <translation>Horas mostradas</translation>
    </message>
    <message>
        <source>On the desk's clock, with a building's own time added where it differs; or each building's own time, its zone named.</source>
        <translation>En el reloj del puesto, con la hora propia del edificio añadida donde es distinta; o la hora de cada edificio, con su zona.</translation>
    </message>
    <message>
        <source>The desk's time</source>
        <translation>La hora del puesto</translation>
    </message>
    <message>
        <source>Each building's time</source>
        <translation>La hora de cada edificio</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>The language of the desk's screens; takes effect at the next start.</source>
        <translation>El idioma de las pantallas del puesto; se aplica en el próximo inicio.</translation>
    </message>
    <message>
        <source>The computer's language</source>
        <translation>El idioma del ordenador</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Quiosco</translation>
    </message>
    <message>
        <source>The lobby kiosk's staff PIN: needed to leave the kiosk. It cannot be chosen at the kiosk itself.</source>
        <translation>El PIN del personal del quiosco del vestíbulo: hace falta para salir del quiosco. No se puede elegir en el propio quiosco.</translation>
    </message>
</context>
<context>
    <name>ShiftDialog</name>
    <message>
        <source>Change operator</source>
        <translation>Cambiar de operador</translation>
    </message>
    <message>
        <source>Start of shift</source>
        <translation>Inicio del turno</translation>
    </message>
    <message>
        <source>Who is on the desk?</source>
        <translation>¿Quién está en el puesto?</translation>
    </message>
    <message>
        <source>Every door release and pass from now on is recorded in the audit log under this name.</source>
        <translation>Desde ahora, cada apertura de puerta y cada pase se registran en la auditoría con este nombre.</translation>
    </message>
    <message>
        <source>Operator name</source>
        <translation>Nombre del operador</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Su nombre</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Keep {0}</source>
        <translation>Seguir como {0}</translation>
    </message>
    <message>
        <source>Keep the current operator</source>
        <translation>Mantener el operador actual</translation>
    </message>
    <message>
        <source>Take over the desk</source>
        <translation>Hacerse cargo del puesto</translation>
    </message>
    <message>
        <source>Start shift</source>
        <translation>Empezar el turno</translation>
    </message>
    <message>
        <source>Enter a name: releases need someone to answer for them.</source>
        <translation>Escriba un nombre: las aperturas necesitan a alguien que responda de ellas.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
    <message>
        <source>Does</source>
        <translation>Hace</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Ventana</translation>
    </message>
    <message>
        <source>Doors</source>
        <translation>Puertas</translation>
    </message>
    <message>
        <source>Release the door on that row</source>
        <translation>Abrir la puerta de esa fila</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to ButterflyMX</source>
        <translation>Iniciar sesión en ButterflyMX</translation>
    </message>
    <message>
        <source>The desk keeps the sign-in fresh by itself and stores it in the OS keyring; you only sign in again when ButterflyMX asks for it.</source>
        <translation>El puesto mantiene el inicio de sesión al día por sí solo y lo guarda en el llavero del sistema; solo vuelve a iniciar sesión cuando ButterflyMX lo pide.</translation>
    </message>
    <message>
        <source>Close without signing in</source>
        <translation>Cerrar sin iniciar sesión</translation>
    </message>
</context>
<context>
    <name>SignInPanel</name>
    <message>
        <source>Open the ButterflyMX sign-in page</source>
        <translation>Abrir la página de inicio de sesión de ButterflyMX</translation>
    </message>
    <message>
        <source>Sign in there with the ButterflyMX account this desk acts as. ButterflyMX then shows a code.</source>
        <translation>Inicie sesión allí con la cuenta de ButterflyMX con la que actúa este puesto. ButterflyMX muestra entonces un código.</translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation>Dirección de inicio de sesión</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Copiar el enlace</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>Abrir en el navegador</translation>
    </message>
    <message>
        <source>New link</source>
        <translation>Enlace nuevo</translation>
    </message>
    <message>
        <source>Start the sign-in again, e.g. after a code expired</source>
        <translation>Volver a empezar el inicio de sesión, p. ej. si un código caducó</translation>
    </message>
    <message>
        <source>Paste the code</source>
        <translation>Pegue el código</translation>
    </message>
    <message>
        <source>Copy the code ButterflyMX showed and paste it here.</source>
        <translation>Copie el código que mostró ButterflyMX y péguelo aquí.</translation>
    </message>
    <message>
        <source>Sign-in code</source>
        <translation>Código de inicio de sesión</translation>
    </message>
    <message>
        <source>Code from ButterflyMX</source>
        <translation>Código de ButterflyMX</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <source>The sign-in link is on the clipboard.</source>
        <translation>El enlace de inicio de sesión está en el portapapeles.</translation>
    </message>
    <message>
        <source>No browser could be opened: copy the link and open it in a browser on any computer.</source>
        <translation>No se pudo abrir ningún navegador: copie el enlace y ábralo en un navegador de cualquier ordenador.</translation>
    </message>
    <message>
        <source>Signing in to ButterflyMX…</source>
        <translation>Iniciando sesión en ButterflyMX…</translation>
    </message>
    <message>
        <source>Signing in</source>
        <translation>Iniciando sesión</translation>
    </message>
    <message>
        <source>The sign-in failed unexpectedly ({0}); the log has details.</source>
        <translation>El inicio de sesión falló de forma inesperada ({0}); el registro tiene los detalles.</translation>
    </message>
    <message>
        <source>Signed in to ButterflyMX.</source>
        <translation>Sesión iniciada en ButterflyMX.</translation>
    </message>
</context>
<context>
    <name>SnapshotView</name>
    <message>
        <source>No snapshot</source>
        <translation>Sin foto</translation>
    </message>
    <message>
        <source>Camera snapshot</source>
        <translation>Foto de la cámara</translation>
    </message>
    <message>
        <source>No snapshot was taken for this one.</source>
        <translation>No se tomó foto para este evento.</translation>
    </message>
    <message>
        <source>Loading snapshot…</source>
        <translation>Cargando la foto…</translation>
    </message>
    <message>
        <source>Loading a snapshot</source>
        <translation>Cargando una foto</translation>
    </message>
    <message>
        <source>Snapshot not available: {0}</source>
        <translation>Foto no disponible: {0}</translation>
    </message>
    <message>
        <source>Snapshot not available: the camera link did not answer.</source>
        <translation>Foto no disponible: el enlace de la cámara no respondió.</translation>
    </message>
    <message>
        <source>Snapshot not available: the link did not return an image.</source>
        <translation>Foto no disponible: el enlace no devolvió una imagen.</translation>
    </message>
    <message>
        <source>Snapshot shown</source>
        <translation>Foto mostrada</translation>
    </message>
</context>
<context>
    <name>Spinner</name>
    <message>
        <source>Working</source>
        <translation>Trabajando</translation>
    </message>
</context>
<context>
    <name>StaffPanel</name>
    <message>
        <source>Staff access</source>
        <translation>Acceso del personal</translation>
    </message>
    <message>
        <source>Delete the last digit</source>
        <translation>Borrar la última cifra</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>Enter the PIN</source>
        <translation>Introduzca el PIN</translation>
    </message>
    <message>
        <source>Back to doors</source>
        <translation>Volver a las puertas</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personal</translation>
    </message>
    <message>
        <source>The kiosk returns to the doors by itself when left alone.</source>
        <translation>El quiosco vuelve a las puertas por sí solo cuando se deja sin tocar.</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>Salir del quiosco</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Configuración…</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>Solo personal</translation>
    </message>
    <message>
        <source>Enter the staff PIN.</source>
        <translation>Introduzca el PIN del personal.</translation>
    </message>
    <message>
        <source>This kiosk has no staff PIN yet. Set one at the front desk: Settings → Kiosk, or `bmx-console kiosk-pin`.</source>
        <translation>Este quiosco aún no tiene PIN del personal. Fíjelo en recepción: Configuración → Quiosco, o `bmx-console kiosk-pin`.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {time}.</source>
        <translation>Demasiados PIN incorrectos. Vuelva a intentarlo en {time}.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>The PIN has at least {low} digits.</source>
        <translation>El PIN tiene al menos {low} cifras.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Checking the PIN</source>
        <translation>Comprobando el PIN</translation>
    </message>
    <message>
        <source>Wrong PIN. {count} tries left.</source>
        <translation>PIN incorrecto. Quedan {count} intentos.</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>DEMO · simulator</source>
        <translation>DEMO · simulador</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>Modo demo</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Estado de la conexión</translation>
    </message>
    <message>
        <source>Door list freshness</source>
        <translation>Actualidad de la lista de puertas</translation>
    </message>
    <message>
        <source>Event freshness</source>
        <translation>Actualidad de los eventos</translation>
    </message>
    <message>
        <source>Token expiry</source>
        <translation>Caducidad del token</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <source>Degraded — rate limited</source>
        <translation>Degradado — demasiadas peticiones</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Degradado</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Desconectado</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Sesión cerrada</translation>
    </message>
    <message>
        <source>All updates are arriving.</source>
        <translation>Llegan todas las actualizaciones.</translation>
    </message>
    <message>
        <source>Waiting for the first answer from ButterflyMX.</source>
        <translation>Esperando la primera respuesta de ButterflyMX.</translation>
    </message>
    <message>
        <source>Doors</source>
        <translation>Puertas</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>Token valid until {0}</source>
        <translation>Token válido hasta las {0}</translation>
    </message>
    <message>
        <source>{0}: no update since {1}, though one is due every {2:g} s.</source>
        <translation>{0}: sin actualizar desde {1}, aunque toca cada {2:g} s.</translation>
    </message>
    <message>
        <source> · retrying now</source>
        <translation> · reintentando ahora</translation>
    </message>
    <message>
        <source> · retrying in {0} s</source>
        <translation> · reintentando en {0} s</translation>
    </message>
    <message>
        <source>{0} stale since {1}</source>
        <translation>{0} sin actualizar desde {1}</translation>
    </message>
    <message>
        <source>{0}: waiting for the first update</source>
        <translation>{0}: esperando la primera actualización</translation>
    </message>
    <message>
        <source>{0} updated {1}</source>
        <translation>{0}: actualizado {1}</translation>
    </message>
    <message>
        <source>Every {0:g} s; last update {1}</source>
        <translation>Cada {0:g} s; última actualización {1}</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>ahora mismo</translation>
    </message>
    <message>
        <source>{0} s ago</source>
        <translation>hace {0} s</translation>
    </message>
    <message>
        <source>{0} min ago</source>
        <translation>hace {0} min</translation>
    </message>
    <message>
        <source>at {0}</source>
        <translation>a las {0}</translation>
    </message>
</context>
<context>
    <name>TenantPage</name>
    <message>
        <source>Release doors as…</source>
        <translation>Abrir puertas como…</translation>
    </message>
    <message>
        <source>ButterflyMX releases a door on behalf of a tenant. Properties set up a placeholder tenant for the front desk, such as “Front Desk”.</source>
        <translation>ButterflyMX abre una puerta en nombre de un inquilino. Los edificios crean un inquilino para recepción, como «Front Desk».</translation>
    </message>
    <message>
        <source>Filter tenants by name or unit</source>
        <translation>Filtrar inquilinos por nombre o unidad</translation>
    </message>
    <message>
        <source>Choose later (door release stays off until a release tenant is set)</source>
        <translation>Elegir más tarde (la apertura de puertas sigue desactivada hasta fijar un inquilino de apertura)</translation>
    </message>
    <message>
        <source>Choose the release tenant later</source>
        <translation>Elegir el inquilino de apertura más tarde</translation>
    </message>
    <message>
        <source>Loading the tenants…</source>
        <translation>Cargando los inquilinos…</translation>
    </message>
    <message>
        <source>unit {0}</source>
        <translation>unidad {0}</translation>
    </message>
    <message>
        <source>id {0}</source>
        <translation>id {0}</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>Sugerido</translation>
    </message>
    <message>
        <source>“{0}” looks like the front desk's placeholder tenant.</source>
        <translation>«{0}» parece el inquilino de recepción.</translation>
    </message>
    <message>
        <source>No tenant is named like “Front Desk”: pick the placeholder tenant the property uses, or ask ButterflyMX to set one up.</source>
        <translation>Ningún inquilino se llama como «Front Desk»: elija el inquilino de recepción que use el edificio, o pida a ButterflyMX que cree uno.</translation>
    </message>
    <message>
        <source>These credentials see no tenants in this building.</source>
        <translation>Estas credenciales no ven inquilinos en este edificio.</translation>
    </message>
    <message>
        <source>Release tenant for {0}</source>
        <translation>Inquilino de apertura de {0}</translation>
    </message>
    <message>
        <source>None yet: its doors cannot be released</source>
        <translation>Ninguno aún: sus puertas no se pueden abrir</translation>
    </message>
    <message>
        <source> · unit {0}</source>
        <translation> · unidad {0}</translation>
    </message>
    <message>
        <source>Each building has a front-desk tenant (suggested from their names).</source>
        <translation>Cada edificio tiene un inquilino de recepción (sugerido por su nombre).</translation>
    </message>
    <message>
        <source>Still without a release tenant: {0}. Their doors cannot be released until one is chosen here or in Settings.</source>
        <translation>Aún sin inquilino de apertura: {0}. Sus puertas no se pueden abrir hasta elegir uno aquí o en Configuración.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Loading failed unexpectedly ({0}); the log has details.</source>
        <translation>La carga falló de forma inesperada ({0}); el registro tiene los detalles.</translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <source>Jan</source>
        <translation>ene</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>feb</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>mar</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>abr</translation>
    </message>
    <message>
        <source>May</source>
        <translation>may</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>jun</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>jul</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>ago</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>sep</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>oct</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>nov</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>dic</translation>
    </message>
    <message>
        <source> · {0} in the building</source>
        <translation> · {0} en el edificio</translation>
    </message>
</context>
<context>
    <name>UserGuideDialog</name>
    <message>
        <source>User guide</source>
        <translation>Guía de uso</translation>
    </message>
    <message>
        <source>The user guide is not part of this installation.</source>
        <translation>La guía de uso no forma parte de esta instalación.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to bmx-console</source>
        <translation>Bienvenido a bmx-console</translation>
    </message>
    <message>
        <source>The security-desk console for ButterflyMX: every door with one-click release, live access events and panel calls, and visitor passes.</source>
        <translation>La consola de puesto de seguridad para ButterflyMX: cada puerta con apertura de un clic, eventos de acceso y llamadas de los paneles en directo, y pases de visita.</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>Probar la demo</translation>
    </message>
    <message>
        <source>A simulated property with doors, events and calls. No account needed.</source>
        <translation>Un edificio simulado con puertas, eventos y llamadas. No hace falta cuenta.</translation>
    </message>
    <message>
        <source>Connect to ButterflyMX</source>
        <translation>Conectar con ButterflyMX</translation>
    </message>
    <message>
        <source>Use the API credentials (client ID and secret) or the ButterflyMX account of this property.</source>
        <translation>Use las credenciales de API (ID y secreto de cliente) o la cuenta de ButterflyMX de este edificio.</translation>
    </message>
    <message>
        <source>You can change everything later under Settings.</source>
        <translation>Puede cambiarlo todo más tarde en Configuración.</translation>
    </message>
</context>
<context>
    <name>_ChipButton</name>
    <message>
        <source>Show {0} events</source>
        <translation>Mostrar los eventos de {0}</translation>
    </message>
    <message>
        <source>Show or hide {0} events</source>
        <translation>Mostrar u ocultar los eventos de {0}</translation>
    </message>
</context>
<context>
    <name>_Corner</name>
    <message>
        <source>Staff access: hold for three seconds</source>
        <translation>Acceso del personal: mantenga pulsado tres segundos</translation>
    </message>
</context>
<context>
    <name>_ListPage</name>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Loading failed unexpectedly ({0}); the log has details.</source>
        <translation>La carga falló de forma inesperada ({0}); el registro tiene los detalles.</translation>
    </message>
</context>
</TS>