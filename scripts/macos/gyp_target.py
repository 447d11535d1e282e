# A gyp generator that writes nothing to disk: it prints, as JSON on stdout,
# what binding.gyp builds for the OS given with -DOS=... (sources, defines,
# include_dirs, flags), after gyp itself has evaluated every condition and
# every <!(command). scripts/macos-compile.sh uses it so that the macOS cross
# build compiles exactly what node-gyp would compile on a Mac, with no list of
# files or defines kept a second time.
#
#   python3 node_modules/node-gyp/gyp/gyp_main.py binding.gyp --depth=. \
#     -f scripts/macos/gyp_target.py -I scripts/macos/target-defaults.gypi -DOS=mac
import json
import sys

generator_default_variables = {}
for _v in (
    "CONFIGURATION_NAME", "EXECUTABLE_PREFIX", "EXECUTABLE_SUFFIX", "INTERMEDIATE_DIR", "LIB_DIR",
    "PRODUCT_DIR", "RULE_INPUT_ROOT", "RULE_INPUT_DIRNAME", "RULE_INPUT_EXT",
    "RULE_INPUT_NAME", "RULE_INPUT_PATH", "SHARED_INTERMEDIATE_DIR",
    "SHARED_LIB_DIR", "SHARED_LIB_PREFIX", "SHARED_LIB_SUFFIX",
    "STATIC_LIB_PREFIX", "STATIC_LIB_SUFFIX",
):
    generator_default_variables[_v] = "<(%s)" % _v


def GenerateOutput(target_list, target_dicts, data, params):
    targets = []
    for qualified in target_list:
        spec = target_dicts[qualified]
        config = spec["configurations"][spec["default_configuration"]]
        targets.append({
            "target_name": spec["target_name"],
            "type": spec.get("type"),
            "sources": spec.get("sources", []),
            "defines": config.get("defines", []),
            "include_dirs": config.get("include_dirs", []),
            "cflags_cc": config.get("cflags_cc", []),
            "libraries": spec.get("libraries", []),
            "xcode_settings": config.get("xcode_settings", {}),
        })
    json.dump({"targets": targets}, sys.stdout, indent=1)
    sys.stdout.write("\n")
