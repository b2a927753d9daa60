// InferCost Studio: progressive enhancement only. Pages work without it; the cost curve's sliders need it.
"use strict";
