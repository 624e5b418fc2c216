# lit configuration for sstat's FileCheck tests.
import os
import lit.formats

config.name = "sstat"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".sstat", ".test", ".ir"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sstat_obj_root, "tests", "lit")

# FileCheck, not, count, split-file come from LLVM 14's tool directory.
path = os.pathsep.join([config.sstat_tools_dir, config.llvm_tools_dir,
                        config.environment.get("PATH", os.environ["PATH"])])
config.environment["PATH"] = path
config.substitutions.append(("%sstatc", os.path.join(config.sstat_tools_dir, "sstatc")))
config.substitutions.append(("%sstat-run", os.path.join(config.sstat_obj_root, "tools", "sstat-run", "sstat-run")))
config.substitutions.append(("%sstat-party", os.path.join(config.sstat_obj_root, "tools", "sstat-party", "sstat-party")))
config.substitutions.append(("%datasets", os.path.join(os.path.dirname(config.sstat_src_root), "shared", "datasets")))
config.substitutions.append(("%sstat-opt", os.path.join(config.sstat_obj_root, "tools", "sstat-opt", "sstat-opt")))
config.substitutions.append(("%examples", os.path.join(config.sstat_src_root, "examples")))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%srcroot", config.sstat_src_root))
