import { classify } from "mailcodes";
for (const t of ["Diagnostic-Code: smtp; 550 5.1.1 user unknown (see 5.2.1)", "550 5.1.1 <a@b>: does not exist (RFC 5.7.1)"]) { const r = classify(t); console.log(r.reason, r.hardBounce, r.enhancedCode); }
const r = classify({ text: "550 5.7.1 relay denied", status: "5.1.1" }); console.log(r.reason, r.enhancedCode);
