/* The map page (/) draws with plotly.js, whose evaluation keeps the browser busy for about
   0.6 s. Dash would start it only after the first page content arrived; this starts it when
   the request for that content has just been sent (Dash's request_pre hook, see
   RENDERER in dashboard/__init__.py), so it overlaps the server's work instead.

   dcc.Graph loads plotly.js itself only while window.Plotly is unset, and waits for a
   promise found there: so window.Plotly holds the promise of this script until plotly.js,
   once evaluated, replaces it with itself. plotly.js is thus evaluated once. */
window.zicht = window.zicht || {};
window.zicht.loadPlotly = function () {
    if (window.Plotly || !window._dashPlotlyJSURL || window.location.pathname !== "/") {
        return;
    }
    window.Plotly = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = window._dashPlotlyJSURL;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function (error) {
            window.Plotly = undefined; // a later graph tries again
            reject(error);
        };
        document.body.appendChild(script);
    });
};
