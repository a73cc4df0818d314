#!/usr/bin/env node
require("../dist/launch.js").launch("mqtt-rr");
