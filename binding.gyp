{
  "targets": [
    {
      "target_name": "pollmatrix",
      "sources": [
        "native/addon.cc",
        "native/actions.cc",
        "native/descriptors.cc",
        "native/engine.cc",
        "native/errnos.cc",
        "native/registry.cc",
        "native/result_key.cc",
        "native/run_many.cc",
        "native/settle.cc",
        "native/worker.cc",
        "native/backend_poll.cc",
        "native/backend_select.cc",
        "<!@(node -p \"require('fs').readdirSync('native/transports').filter(f => f.endsWith('.cc')).sort().map(f => 'native/transports/' + f).join(' ')\")"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "POLLMATRIX_SOURCE_HASH=<!(node native/source-hash.cjs)"
      ],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "conditions": [
        ["OS=='linux'", {
          "sources": ["native/backend_epoll.cc", "native/backend_epoll_modes.cc", "native/backend_io_uring.cc"],
          "defines": ["HAVE_EPOLL", "HAVE_IO_URING"],
          "cflags_cc": ["-pthread"],
          "libraries": ["-pthread"]
        }],
        ["OS=='mac' or OS=='freebsd' or OS=='openbsd' or OS=='netbsd' or OS=='dragonflybsd'", {
          "sources": ["native/backend_kqueue.cc", "native/backend_kqueue_modes.cc"],
          "defines": ["HAVE_KQUEUE"]
        }],
        ["OS=='mac'", {
          "xcode_settings": {
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "MACOSX_DEPLOYMENT_TARGET": "10.15",
            "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra"]
          }
        }]
      ]
    }
  ]
}
