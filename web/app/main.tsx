// The web app's entry point (bundled by ../tools/build-app.mjs): the style sheet and the app.
import "./styles/app.css";

import { render } from "preact";

import { App } from "./app";

const root = document.getElementById("app");
if (root) render(<App />, root);
