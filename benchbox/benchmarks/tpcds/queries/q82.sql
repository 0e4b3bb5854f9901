-- TPC-DS Q82 (Appendix B.82): items of four manufacturers in a price band that sold in stores and had
-- between 100 and 500 units on hand in some warehouse during a 60-day period.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param PRICE 62 ~ uniform(0, 90)
-- @param INVDATE '2000-05-25' ~ day(f'{YEAR}-01-01', f'{YEAR}-07-24')
-- @param MANUFACT_ID [129, 270, 821, 423] ~ sample(ints(1, 1000), 4)
select
    i_item_id,
    i_item_desc,
    i_current_price
from item, inventory, date_dim, store_sales
where i_current_price between ${PRICE} and ${PRICE} + 30
  and inv_item_sk = i_item_sk
  and d_date_sk = inv_date_sk
  and d_date between date '${INVDATE}' and date '${INVDATE}' + interval '60' day
  and i_manufact_id in (${MANUFACT_ID})
  and inv_quantity_on_hand between 100 and 500
  and ss_item_sk = i_item_sk
group by i_item_id, i_item_desc, i_current_price
order by i_item_id
limit 100
