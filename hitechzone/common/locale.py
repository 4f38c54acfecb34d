"""Chinese first: the UI speaks zh-hans unless the user chose another language (the language cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language; a committee's shared PCs and
phones often send English, and the platform's working language is Chinese, so the header is ignored.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages: the cookie, else Chinese. The API: what the client asks for (Accept-Language), else Chinese."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None
