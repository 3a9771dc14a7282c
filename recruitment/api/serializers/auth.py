"""The token exchange."""

from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    """The partner's client credentials and the user's API password."""

    client_id = serializers.CharField(max_length=100)
    api_key = serializers.CharField(max_length=200, trim_whitespace=False)
    username = serializers.CharField(max_length=150)
    api_password = serializers.CharField(max_length=200, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    """A bearer token valid for an hour."""

    access_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
