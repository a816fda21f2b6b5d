"""The standard claims django-oidc-provider gives for a user."""


def userinfo(claims, user):
    claims["name"] = f"{user.last_name}{user.first_name}" or user.username
    claims["family_name"] = user.last_name
    claims["given_name"] = user.first_name
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = True
    return claims
