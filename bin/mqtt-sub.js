#!/usr/bin/env node
import "../dist/mqtt-sub.js";
