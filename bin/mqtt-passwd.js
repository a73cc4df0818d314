#!/usr/bin/env node
import "../dist/mqtt-passwd.js";
