resource "azurerm_network_security_group" "jump" {
  name                = "jump-nsg"
  location            = "westeurope"
  resource_group_name = "ops"

  security_rule {
    name                       = "https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
