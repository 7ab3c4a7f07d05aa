"""`Authorization: Bearer ccpt_…`: the person whose token it is, read as the site reads the signed-in person (their
roles and consortia in one query), so that every rule answers as it does in the site."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from ccpt.audit.context import act_through
from consortia.accounts.backends import PersonBackend

from . import tokens


class TokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise AuthenticationFailed("Send the token as `Authorization: Bearer <token>`, with no spaces in it.")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("This is not a token of this site.") from None
        token = tokens.find(secret)
        if token is None:
            raise AuthenticationFailed("This token is unknown, revoked or expired.")
        user = PersonBackend().get_user(token.user_id)
        if user is None:
            raise AuthenticationFailed("The account of this token is inactive.")
        act_through(token.label)  # every audit record of this request names the token
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names it."""

    target_class = "ccpt.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made on the site's Security page (Your API tokens): `Bearer ccpt_…`.",
        }
