"""Guidance policy: observations + sensor readings + the user's profile -> cues."""
