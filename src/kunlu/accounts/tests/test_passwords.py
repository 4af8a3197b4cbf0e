"""The password policy: at least 10 characters, three character classes, not the username, not common.

Each rule is checked through Django's validate_password (the configured validators together), so a test
also proves the rule is switched on; and through the account services, which attach it to the password field.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from kunlu.accounts import services
from kunlu.accounts.models import User
from kunlu.accounts.passwords import CharacterClassValidator, NotUsernameValidator
from kunlu.core.testing import PASSWORD, World

USER = User(username="liwei")


def refusals(password: str, user: User | None = USER) -> set[str]:
    """The codes of every rule the password breaks (empty when it passes)."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {error.code for error in exc.error_list if error.code}
    return set()


def messages_for(password: str, user: User | None = USER) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


def test_the_house_rules_are_configured() -> None:
    kinds = {type(v) for v in get_default_password_validators()}
    assert {CharacterClassValidator, NotUsernameValidator} <= kinds
    help_text = " ".join(password_validators_help_texts())
    assert "至少三类" in help_text
    assert "用户名" in help_text


@pytest.mark.parametrize("password", [PASSWORD, "Kx7mPq2wRt", "kx7m-pq2w-rt", "KX7M-PQ2W-RT", "Kxm-Pqw-Rtz"])
def test_a_password_keeping_every_rule_passes(password: str) -> None:
    assert refusals(password) == set()


# -- length --------------------------------------------------------------------------------------------


def test_nine_characters_are_too_short() -> None:
    assert refusals("Kx7m-Pq2w") == {"password_too_short"}


def test_ten_characters_are_enough() -> None:
    assert refusals("Kx7m-Pq2wR") == set()


# -- character classes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["kxmpqwrtzv", "kxmpqwRTZV", "kx7mpq2wrt", "kxm-pqw-rtz", "KXMPQW7253", "KXM-PQW-RTZ", "7253-8841-9"],
)
def test_fewer_than_three_character_classes_are_refused(password: str) -> None:
    assert refusals(password) == {"password_classes"}


def test_only_digits_are_refused() -> None:
    assert refusals("7253884190") == {"password_classes", "password_entirely_numeric"}


def test_letters_outside_ascii_count_for_no_class() -> None:
    """Chinese characters are neither upper nor lower case, digits nor symbols: they do not make a class."""
    assert refusals("昆路开发区kx7mpq") == {"password_classes"}


def test_character_class_validator_on_its_own() -> None:
    validator = CharacterClassValidator()
    validator.validate("Kx7mPq2wRt")
    with pytest.raises(ValidationError) as caught:
        validator.validate("kx7mpq2wrt")
    assert caught.value.code == "password_classes"


# -- the username ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Liwei#2025-Zhangjiang-Park",  # forwards
        "Iewil#2025-Zhangjiang-Park",  # backwards
        "LIWEI#2025-Zhangjiang-Park",  # another case
        "2025-Zhangjiang-Park#iEwIl",  # backwards, another case, at the end
    ],
)
def test_the_username_is_refused_in_any_direction_and_case(password: str) -> None:
    assert refusals(password) == {"password_has_username"}


def test_the_username_rule_needs_a_user() -> None:
    assert refusals("Liwei#2025-Zhangjiang-Park", user=None) == set()


def test_username_validator_on_its_own() -> None:
    validator = NotUsernameValidator()
    validator.validate("Zhang#2025-Park", USER)
    with pytest.raises(ValidationError) as caught:
        validator.validate("Zhang#IEWIL-2025", USER)
    assert caught.value.code == "password_has_username"


# -- common passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["Password123", "pASSWORD123", "Password1!", "1qaz2WSX3edc"])
def test_common_passwords_are_refused(password: str) -> None:
    assert refusals(password) == {"password_too_common"}


# -- through the account services ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Kx7m-Pq2w", "password_too_short"),
        ("kx7mpq2wrt", "password_classes"),
        ("Password123", "password_too_common"),
        ("Xiaoming#2025-Park", "password_has_username"),
        ("Gnimoaix#2025-Park", "password_has_username"),
    ],
)
def test_user_create_attaches_the_refusal_to_the_password_field(
    world: World, password: str, code: str
) -> None:
    data = {"username": "xiaoming", "organisation": world.bureau_a, "password": password}
    with pytest.raises(ValidationError) as caught:
        services.user_create(data=data, actor=world.admin)
    assert set(caught.value.error_dict) == {"password"}
    assert [error.code for error in caught.value.error_dict["password"]] == [code]
    assert caught.value.message_dict["password"] == messages_for(password, User(username="xiaoming"))
    assert not User.objects.filter(username="xiaoming").exists()


def test_user_create_accepts_a_good_password(world: World) -> None:
    data = {"username": "xiaoming", "organisation": world.bureau_a, "password": "Kx7m-Pq2w-Rt"}
    user = services.user_create(data=data, actor=world.admin)
    user.refresh_from_db()
    assert user.check_password("Kx7m-Pq2w-Rt")


def test_user_update_refuses_a_weak_password_and_keeps_the_old_one(world: World) -> None:
    user = world.analyst_a
    with pytest.raises(ValidationError) as caught:
        services.user_update(obj=user, data={"password": "kx7mpq2wrt"}, actor=world.admin)
    assert set(caught.value.error_dict) == {"password"}
    assert [error.code for error in caught.value.error_dict["password"]] == ["password_classes"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not user.check_password("kx7mpq2wrt")
