// Make the vendored engines run under a CSP without 'unsafe-eval' (scripts/vendor-js runs this on
// the copies it makes; the registry packages are not changed).
//
// Both packages are Emscripten builds whose embind glue generates JavaScript from strings
// (`new Function`) to bind C++ functions: OpenCV.js in craftInvokerFunction, MediaPipe's face mesh
// also in createNamedFunction and the emval method caller. Emscripten's own DYNAMIC_EXECUTION=0
// build does the same work with closures; the functions below are that, written for the glue of
// these two builds. Each replacement must match exactly once, or the script fails: a new package
// version has to be looked at again, never half patched.
import { readFileSync, writeFileSync } from "node:fs";

const INVOKER = `function bfInvoker(argTypes, isClassMethodFunc, needsDestructorStack, returns, humanName, invoker, fn) {
  var expected = argTypes.length - 2;
  return function (...args) {
    if (args.length !== expected) {
      throwBindingError("function " + humanName + " called with " + args.length + " arguments, expected " + expected);
    }
    var destructors = needsDestructorStack ? [] : null;
    var thisWired;
    var wired = [];
    if (isClassMethodFunc) thisWired = argTypes[1].toWireType(destructors, this);
    for (var i = 0; i < expected; ++i) wired.push(argTypes[i + 2].toWireType(destructors, args[i]));
    var rv = isClassMethodFunc ? invoker(fn, thisWired, ...wired) : invoker(fn, ...wired);
    if (needsDestructorStack) {
      runDestructors(destructors);
    } else {
      for (var i = isClassMethodFunc ? 1 : 2; i < argTypes.length; ++i) {
        if (argTypes[i].destructorFunction !== null) argTypes[i].destructorFunction(i === 1 ? thisWired : wired[i - 2]);
      }
    }
    if (returns) return argTypes[0].fromWireType(rv);
  };
}
`;

function replaceOnce(text, from, to, file) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new Error(`no-eval: expected exactly one ${JSON.stringify(from.slice(0, 60))} in ${file}`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function patchOpenCv(file) {
  let text = readFileSync(file, "utf8");
  text = replaceOnce(text, "function craftInvokerFunction(", INVOKER + "function craftInvokerFunction(", file);
  text = replaceOnce(text, "let[args,invokerFnBody]=createJsInvoker(argTypes,isClassMethodFunc,returns,isAsync);args.push(invokerFnBody);var invokerFn=newFunc(Function,args)(...closureArgs);",
    "var invokerFn=bfInvoker(argTypes,isClassMethodFunc,needsDestructorStack,returns,humanName,cppInvokerFunc,cppTargetFunc);", file);
  writeFileSync(file, text);
}

function patchFaceMesh(file) {
  let text = readFileSync(file, "utf8");
  text = replaceOnce(text,
    `return new Function("body","return function "+name+"() {\\n"+'    "use strict";'+"    return body.apply(this, arguments);\\n"+"};\\n")(body)`,
    `var named=function(){"use strict";return body.apply(this,arguments)};Object.defineProperty(named,"name",{value:name});return named`, file);
  text = replaceOnce(text, "function craftInvokerFunction(", INVOKER + "function craftInvokerFunction(", file);
  text = replaceOnce(text, `var returns=argTypes[0].name!=="void";var argsList="";`,
    `var returns=argTypes[0].name!=="void";return bfInvoker(argTypes,isClassMethodFunc,needsDestructorStack,returns,humanName,cppInvokerFunc,cppTargetFunc);var argsList="";`, file);
  text = replaceOnce(text, `var params=["retType"];var args=[retType];`,
    `var invokerFunction=function(handle,name,destructors,args){var values=[];var offset=0;for(var i=0;i<argCount-1;++i){values.push(types[i+1].readValueFromPointer(args+offset));offset+=types[i+1]["argPackAdvance"]}var rv=handle[name](...values);for(var i=0;i<argCount-1;++i){if(types[i+1]["deleteObject"]){types[i+1].deleteObject(values[i])}}if(!retType.isVoid){return retType.toWireType(destructors,rv)}};return __emval_addMethodCaller(invokerFunction);var params=["retType"];var args=[retType];`, file);
  writeFileSync(file, text);
}

const [kind, ...files] = process.argv.slice(2);
for (const file of files) (kind === "opencv" ? patchOpenCv : patchFaceMesh)(file);
