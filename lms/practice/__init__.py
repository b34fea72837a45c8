"""Supervised practice: the trainee's log of client work, and the trainers' sign-off."""
