# node-gyp's addon.gypi gives every target its type; scripts/macos/gyp_target.py
# runs gyp without node-gyp, so this stands in for that one line.
{
  'target_defaults': { 'type': 'loadable_module' },
}
