// Make the vendored engines run under a CSP without 'unsafe-eval' (scripts/vendor-js runs this on
// the copies it makes; the registry packages are not changed).
//
// Both packages are Emscripten builds whose embind glue generates JavaScript from strings
// (`new Function`) to bind C++ functions: OpenCV.js in craftInvokerFunction, TensorFlow Lite's web
// API also in createNamedFunction, the emval method caller and the emval allocator. Emscripten's own
// DYNAMIC_EXECUTION=0 build does the same work with closures; the functions below are that, written
// for the glue of these two builds. Each replacement must match exactly once, or the script fails:
// a new package version has to be looked at again, never half patched.
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

// Emscripten's createNamedFunction: a closure with the same name instead of a generated function.
const NAMED_FUNCTION_FROM = `return new Function("body","return function "+name+"() {\\n"+'    "use strict";'+"    return body.apply(this, arguments);\\n"+"};\\n")(body)`;
const NAMED_FUNCTION_TO = `var named=function(){"use strict";return body.apply(this,arguments)};Object.defineProperty(named,"name",{value:name});return named`;
// craftInvokerFunction returns bfInvoker's closure before it starts generating source.
const INVOKER_FROM = `var returns=argTypes[0].name!=="void";var argsList="";`;
const INVOKER_TO = `var returns=argTypes[0].name!=="void";return bfInvoker(argTypes,isClassMethodFunc,needsDestructorStack,returns,humanName,cppInvokerFunc,cppTargetFunc);var argsList="";`;
// The emval method caller (calling a JS method from C++), as a closure over the looked-up types.
const METHOD_CALLER = `var invokerFunction=function(handle,name,destructors,args){var values=[];var offset=0;for(var i=0;i<argCount-1;++i){values.push(types[i+1].readValueFromPointer(args+offset));offset+=types[i+1]["argPackAdvance"]}var rv=handle[name](...values);for(var i=0;i<argCount-1;++i){if(types[i+1]["deleteObject"]){types[i+1].deleteObject(values[i])}}if(!retType.isVoid){return retType.toWireType(destructors,rv)}};`;

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

// TensorFlow Lite's web API (@tensorflow/tfjs-tflite's tflite_web_api_cc*.js): the named-function
// and invoker generators, a caching emval method caller, and an emval allocator (`new` on a JS class
// from C++) that is generated too.
function patchTflite(file) {
  let text = readFileSync(file, "utf8");
  text = replaceOnce(text, NAMED_FUNCTION_FROM, NAMED_FUNCTION_TO, file);
  text = replaceOnce(text, "function craftInvokerFunction(", INVOKER + "function craftInvokerFunction(", file);
  text = replaceOnce(text, INVOKER_FROM, INVOKER_TO, file);
  text = replaceOnce(text, `var params=["retType"];var args=[retType];`,
    `${METHOD_CALLER}returnId=emval_addMethodCaller(invokerFunction);emval_registeredMethods[signatureName]=returnId;return returnId;var params=["retType"];var args=[retType];`, file);
  text = replaceOnce(text, "function craftEmvalAllocator(argCount){",
    `function craftEmvalAllocator(argCount){return function(constructor,argTypes,args){var values=[];for(var i=0;i<argCount;++i){var argType=requireRegisteredType(HEAPU32[argTypes>>2],"parameter "+i);values.push(argType.readValueFromPointer(args));args+=argType["argPackAdvance"];argTypes+=4}return Emval.toHandle(new constructor(...values))};`, file);
  writeFileSync(file, text);
}

const [kind, ...files] = process.argv.slice(2);
const patches = { opencv: patchOpenCv, tflite: patchTflite };
if (!patches[kind]) throw new Error(`no-eval: unknown kind ${kind} (one of ${Object.keys(patches).join(", ")})`);
for (const file of files) patches[kind](file);
