#!/usr/bin/env node
require("../dist/mqtt-sub.js");
