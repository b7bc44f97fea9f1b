"""Telling people what happened: notifications in the service and by email."""
