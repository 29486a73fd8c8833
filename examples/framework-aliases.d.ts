// This repository installs Express 5 and Koa 3 under alias names ("express5", "koa3") so that
// several majors can be tested side by side; these lines give the aliases the frameworks' own
// types. A merchant's app imports 'express' / 'koa' and needs nothing like this.
declare module 'express5' {
  import express = require('express');
  export = express;
}
declare module 'koa3' {
  import Koa = require('koa');
  export = Koa;
}
