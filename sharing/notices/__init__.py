"""The notification centre: every mail the platform sends, and the reminders, as notices a user
reads in the bell menu and the list."""
