(function () { L.rcKeys = function () {}; })();
