"""The pages of the dashboard, one module each, registered with Dash Pages
(``dash.register_page``)."""
