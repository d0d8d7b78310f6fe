/*
 * Part of this project (not vendored). Points Leaflet's default marker images at the
 * vendored copy next to this file: inside streamlit-folium's iframe Leaflet 1.9.3 guesses
 * the folder from leaflet.css before that stylesheet has loaded and the icons 404.
 */
(function () {
  var script = document.currentScript;
  if (window.L && L.Icon && L.Icon.Default && script && script.src) {
    L.Icon.Default.imagePath = new URL("../leaflet/1.9.3/images/", script.src).href;
  }
})();
