"""Signing in and staying safe: throttled sign-in, two-factor authentication, sessions that expire,
re-authentication before actions that move money or power."""
