"""The certification app's admin pages, registered by importing each module."""

from certification.admin import applications, handbook, letters

__all__ = ["applications", "handbook", "letters"]
