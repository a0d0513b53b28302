"""What every other part of tajsec builds on: IRIs, formats, errors, the project layout."""
