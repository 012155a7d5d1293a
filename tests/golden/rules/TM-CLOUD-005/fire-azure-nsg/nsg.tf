resource "azurerm_network_security_group" "jump" {
  name                = "jump-nsg"
  location            = "westeurope"
  resource_group_name = "ops"

  security_rule {
    name                       = "rdp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
