"""What the tests ask of the test sign-in server: users, CAS services, OpenID Connect clients,
and codes made old. Each call carries the token the fixture started the server with."""

import json
from datetime import timedelta
from functools import wraps

from cas_server.models import ReplaceAttributName, ServicePattern
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponseForbidden, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oidc_provider.models import Client, Code, ResponseType, RSAKey


def harness(view):
    @csrf_exempt
    @wraps(view)
    def checked(request):
        token = request.headers.get("X-Harness-Token", "")
        expected = settings.HARNESS_TOKEN
        if request.method != "POST" or not expected or token != expected:
            return HttpResponseForbidden()
        return JsonResponse(view(json.loads(request.body or b"{}")))

    return checked


@harness
def users(body):
    user, _created = User.objects.get_or_create(username=body["username"])
    user.email = body.get("email", "")
    user.first_name = body.get("first_name", "")
    user.last_name = body.get("last_name", "")
    user.set_password(body["password"])
    user.save()
    return {"id": user.id}


@harness
def cas_services(body):
    """A service pattern releasing Django's user fields under the CAS names given."""
    pattern, _created = ServicePattern.objects.update_or_create(
        name=body["name"], defaults={"pattern": body["pattern"], "pos": body.get("pos", 100)}
    )
    pattern.attributs.all().delete()
    for name, replace in body.get("attributes", {}).items():
        ReplaceAttributName.objects.create(name=name, replace=replace, service_pattern=pattern)
    return {"id": pattern.id}


@harness
def oidc_clients(body):
    if not RSAKey.objects.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        RSAKey.objects.create(key=pem.decode())
    client, _created = Client.objects.update_or_create(
        client_id=body["client_id"],
        defaults={
            "name": body["client_id"],
            "client_type": "confidential",
            "client_secret": body["client_secret"],
            "jwt_alg": "RS256",
            "require_consent": False,
            "reuse_consent": True,
            "_redirect_uris": "\n".join(body["redirect_uris"]),
            "_post_logout_redirect_uris": "\n".join(body.get("post_logout_redirect_uris", [])),
        },
    )
    client.response_types.set(ResponseType.objects.filter(value="code"))
    return {"id": client.id}


@harness
def expire_codes(body):
    """Every authorization code given so far, as if ten minutes had passed."""
    past = timezone.now() - timedelta(minutes=11)
    return {"expired": Code.objects.update(expires_at=past)}
