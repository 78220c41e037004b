"""Public statement pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The home page of a language: the latest statements once the statements app has them."""
    return render(request, "statements/home.html")
