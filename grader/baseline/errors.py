"""Errors of the Keras baseline, each with a message in every language of the grader."""

from __future__ import annotations

from grader import config

MESSAGES = {
    "no_gpu": {
        "es": "Se pidió la GPU, pero {backend} no ve ninguna. Usa --device cpu (o auto), "
              "o revisa la instalación de CUDA y que {backend} se instaló con soporte de GPU.",
        "en": "The GPU was asked for, but {backend} sees none. Use --device cpu (or auto), "
              "or check the CUDA install and that {backend} was installed with GPU support.",
    },
    "bad_device": {
        "es": "Dispositivo desconocido {device!r}: usa auto, cpu o gpu.",
        "en": "Unknown device {device!r}: use auto, cpu or gpu.",
    },
    "bad_backend": {
        "es": "El backend de Keras {backend!r} no está soportado: usa KERAS_BACKEND=tensorflow "
              "(por defecto) o KERAS_BACKEND=jax.",
        "en": "Keras backend {backend!r} is not supported: use KERAS_BACKEND=tensorflow "
              "(the default) or KERAS_BACKEND=jax.",
    },
    "no_keras": {
        "es": "La comparación con Keras necesita {package}, que no está instalado: "
              "pip install 'dl-grader[keras]' (o pip install {package}).",
        "en": "The Keras comparison needs {package}, which is not installed: "
              "pip install 'dl-grader[keras]' (or pip install {package}).",
    },
}


class BaselineError(Exception):
    """A problem a person can fix (device, backend, install), told in their language.

    ``message(lang)`` gives the text in ``lang``; ``str(error)`` uses the
    language the error was raised with (default: ``config.DEFAULT_LANGUAGE``).
    """

    def __init__(self, key: str, lang: str | None = None, **params):
        self.key, self.params = key, params
        self.lang = lang if lang in config.LANGUAGES else config.DEFAULT_LANGUAGE
        super().__init__(self.message(self.lang))

    def message(self, lang: str) -> str:
        return MESSAGES[self.key][lang].format(**self.params)


class DeviceUnavailableError(BaselineError):
    """``device="gpu"`` was asked for and the backend sees no GPU (never a silent fallback)."""
