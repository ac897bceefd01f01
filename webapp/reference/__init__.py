"""Reference code shown to students: plain NumPy, independent of the engine (a test compares the two)."""
