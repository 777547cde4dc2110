"""The web app (Gradio only): one module per tab, the page assets and the HTML views."""
