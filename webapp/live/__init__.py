"""Live classroom sessions (issue 14): a presenter's state fanned out to followers, polls and answers.

store.py (the storage protocol + the in-process MemoryStore), hub.py (this process's fan-out to open
event streams), limits.py (every live limit), sessions.py / polls.py / answers.py (the service), and
webapp/live_api.py (the HTTP routes) on top.
"""
