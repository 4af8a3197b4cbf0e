"""Chinese first, English one click away."""

from __future__ import annotations

from kunlu.core.testing import World, client_for


def test_chinese_even_when_the_browser_asks_for_english(world: World) -> None:
    response = client_for(world.admin).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.wsgi_request.LANGUAGE_CODE == "zh-hans"
    assert '<html lang="zh-CN">' in response.content.decode()


def test_the_switch_turns_the_interface_to_english_and_back(world: World) -> None:
    client = client_for(world.admin)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, follow=True)
    assert '<html lang="zh-CN">' in response.content.decode()
