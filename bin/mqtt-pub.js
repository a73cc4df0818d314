#!/usr/bin/env node
import "../dist/mqtt-pub.js";
