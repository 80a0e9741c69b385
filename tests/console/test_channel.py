"""The terminal channel through its real stdin and stdout: numbered buttons, a number presses
one, the end of input ends the chat. The features are tested through tests/support/client.py."""

from io import StringIO

from bot.app import App
from bot.core import texts
from bot.menu.main import ENTRIES
from handlers.console import ConsoleChannel


async def test_a_conversation_at_the_terminal(app: App) -> None:
    language = next(n for n, (key, _) in enumerate(ENTRIES, 1) if key == "menu-language")
    stdin, stdout = StringIO(f"\n{language}\n2\n"), StringIO()
    await ConsoleChannel(app.engine, stdin=stdin, stdout=stdout, user_id="ivan").run()

    screen = stdout.getvalue()
    greeting, language_menu, chosen = screen.split("> ")[:3]
    assert texts.text("ru", "menu-greeting") in greeting
    for number, (key, _) in enumerate(ENTRIES, 1):
        assert f"  {number}) {texts.text('ru', key)}\n" in greeting
    assert "  1) Русский\n  2) English\n" in language_menu
    assert texts.text("en", "language-set") in chosen
    assert f"  {language}) {texts.text('en', 'menu-language')}\n" in chosen
    assert screen.endswith("> \n")  # the end of input closes the chat
