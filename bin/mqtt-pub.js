#!/usr/bin/env node
require("../dist/mqtt-pub.js");
