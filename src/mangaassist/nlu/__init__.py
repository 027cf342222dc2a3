"""Understanding a shopper's message: normalisation, language, intent (rules + model), entities.

Import from the modules: `nlu.normalize.normalize`, `nlu.language.detect_language`,
`nlu.classifier.IntentClassifier`, `nlu.service.build_classifier`. The package itself
stays light so that `mangaassist --help` does not load numpy.
"""

__all__: list[str] = []
