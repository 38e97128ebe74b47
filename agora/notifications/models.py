"""Notifications: in-app list, per-kind preferences, emails now or as a daily digest."""
