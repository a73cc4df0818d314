#!/usr/bin/env node
require("../dist/mqtt-passwd.js");
