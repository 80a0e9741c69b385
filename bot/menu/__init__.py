"""The main menu and the small sections around it: language, history, office card."""
