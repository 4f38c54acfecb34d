from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .models import User


class LoginThrottle(AnonRateThrottle):
    rate = "30/min"


class TokenView(APIView):
    """``POST {"username", "password"}`` → ``{"token"}``; send it back as ``Authorization: Token …``."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class MeSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="effective_role", read_only=True)
    role_display = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "role_display", "department", "enterprise"]

    def get_role_display(self, obj) -> str:
        from .models import Role

        return str(Role(obj.effective_role).label)


class MeView(APIView):
    """Who am I: the signed-in user and their role."""

    @extend_schema(responses=MeSerializer, description=str(_("The signed-in user and their role.")))
    def get(self, request):
        return Response(MeSerializer(request.user).data)
