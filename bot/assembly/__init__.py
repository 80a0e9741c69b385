"""The assembly's parts that bot/app.py puts together: the ports one feature gets from
another (ports.py) and the feedback loop's wiring (feedback.py)."""
