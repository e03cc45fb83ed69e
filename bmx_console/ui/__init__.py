"""The Qt user interface (desk window, kiosk, dialogs)."""

from bmx_console.ui.pyside_fix import immortalize_singletons

immortalize_singletons()
