"""Speech and sound: the prompt catalog, TTS engines and earcon synthesis."""
