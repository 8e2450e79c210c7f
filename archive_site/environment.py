"""Reading settings from the environment: django-environ's reader, stricter where a wrong guess is silent.

environ reads any word it does not know as a false boolean, lets `int()` report a bad number without
the variable's name, and takes a value beginning with `$` as another variable's name (a secret may
begin with `$`). This reader takes a value as written; one it cannot read stops start-up with a
message naming the variable; and an empty value counts as unset, except for plain strings (`env.str`),
where empty is a value (an empty CONTENT_SECURITY_POLICY switches the header off).
"""

import environ
from django.core.exceptions import ImproperlyConfigured


class Env(environ.Env):
    """`Env().bool("DEBUG", default=False)` and the like, as django-environ documents them, read as above.

    Booleans are true/false, yes/no, on/off or 1/0 (any case); numbers 0 or more; lists comma-separated,
    each item stripped.
    """

    TRUE = frozenset({"1", "true", "yes", "on"})
    FALSE = frozenset({"0", "false", "no", "off"})

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        value = self.ENVIRON.get(var)
        if value is None or (cast is not str and not value.strip()):
            if default is self.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable.")
            return default
        try:
            return self.parse_value(value, cast)
        except ValueError as error:
            raise ImproperlyConfigured(f"{var} is {value!r}; {error}.") from error

    @classmethod
    def parse_value(cls, value, cast):
        word = value.strip().lower()
        if cast is bool:
            if word not in cls.TRUE | cls.FALSE:
                raise ValueError("give true or false")
            return word in cls.TRUE
        if cast is int:
            if not (word.isascii() and word.isdigit()):
                raise ValueError("give a whole number, 0 or more")
            return int(word)
        if cast is float:
            try:
                number = float(word)
            except ValueError:
                number = -1.0
            if not 0 <= number < float("inf"):
                raise ValueError("give a number, 0 or more")
            return number
        if cast is list:
            return [item.strip() for item in value.split(",") if item.strip()]
        return super().parse_value(value, cast)
