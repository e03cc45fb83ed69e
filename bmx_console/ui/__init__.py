"""The Qt user interface (desk window, kiosk, dialogs)."""
